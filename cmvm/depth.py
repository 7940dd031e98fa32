"""Exact depth bookkeeping for rows of terms that are summed in least-depth trees.

Terms arriving at depths ``d_i`` can be summed, two at a time, in a tree of depth
``ceil(log2(sum_i 2**d_i))`` and no less (the Kraft inequality; combining the two earliest
terms first attains it).  A row that also adds its parent row's finished output
(the decomposition tree) is one more term arriving at the parent's depth.

``RowDepths`` keeps ``S_r = sum 2**d`` per row and answers whether changing some rows keeps
every row's output within the depth limit, so a hard ``max_depth`` holds exactly.
"""

from __future__ import annotations

from .builder import ceil_log2


class RowDepths:
    def __init__(self, weights: list[int], parent: list[int | None], order: list[int], limit: int | None):
        self.weight = weights  # S_r
        self.parent = parent
        self.order = order  # parents before children
        self.limit = limit
        self.children: list[list[int]] = [[] for _ in weights]
        for r, p in enumerate(parent):
            if p is not None:
                self.children[p].append(r)
        self.level = [0] * len(weights)
        for r in order:
            self.level[r] = self._level(r, self.weight[r], self.level)

    def _level(self, r: int, weight: int, level: list[int]) -> int:
        p = self.parent[r]
        return ceil_log2(weight + (1 << level[p] if p is not None else 0))

    def allows(self, new_weights: dict[int, int]) -> bool:
        """Would every row stay within the limit with these rows' weights changed?"""
        if self.limit is None:
            return True
        if all(self.parent[r] is None and not self.children[r] for r in new_weights):
            return all(ceil_log2(w) <= self.limit for w in new_weights.values())
        level: dict[int, int] = {}
        stack = list(new_weights)
        seen = set()
        # rows whose level may change: the changed rows and their descendants, in order
        while stack:
            r = stack.pop()
            if r in seen:
                continue
            seen.add(r)
            stack.extend(self.children[r])
        for r in self.order:
            if r not in seen:
                continue
            p = self.parent[r]
            lp = (level.get(p, self.level[p])) if p is not None else None
            w = new_weights.get(r, self.weight[r])
            lv = ceil_log2(w + (1 << lp if lp is not None else 0))
            if lv > self.limit:
                return False
            level[r] = lv
        return True

    def commit(self, new_weights: dict[int, int]) -> None:
        for r, w in new_weights.items():
            self.weight[r] = w
        for r in self.order:
            self.level[r] = self._level(r, self.weight[r], self.level)
