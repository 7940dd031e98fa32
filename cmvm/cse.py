"""Greedy common-subexpression elimination over rows of signed, shifted terms.

Each row is a sum of terms ``g * v << p``.  A *pattern* is the node ``v[a] +- v[b] << s``
that the sum of two terms of a row reduces to (shifts relative, signs relative, so
negated and shifted copies of a pair are the same pattern; see ``builder.node_key``).
Repeatedly the most valuable pattern that occurs at least twice becomes one adder node,
and every (non-overlapping) occurrence of it is replaced by one term; what remains in
each row is summed later in a least-depth tree.

The elimination is compiled with numba (``eliminate``): the rows live in one pool of int64
arrays, the pattern counts over all term pairs of all rows in an open-addressing table
kept up to date as terms come and go, and a lazy heap yields the best pattern.
``RowCSE`` loads the rows and the values they refer to (``KernelState``), runs the kernel
and adds the nodes it created to the ``GraphBuilder``.

Value of a pattern with ``n`` occurrences (each saves one adder in its row's sum, the
node costs one), by priority:
- "narrow":  n, ties to the narrower node;
- "recent":  n, ties to the pattern whose newer operand is the most recent value (builds
  on fresh partial sums, which tends to share more); "recent<i>" breaks the remaining
  ties by a hash salted with i (restarts of the same quality);
- "shallow": n, ties to the shallowest operands, then the narrower node;
- "bits":    (n - 1) * estimated node width (for the adder-bits objective);
- "random<i>": n, ties broken by a hash of the pattern salted with i (restarts).
Node widths for ranking are the builder's upper estimates (``builder.estimate_width``).

A hard depth limit is honoured exactly: a row whose terms arrive at depths ``d_i`` is
summed in ``ceil(log2(sum 2**d_i))`` levels (the Kraft bound, see ``builder``), one more
term at the parent's level when the row adds its parent row's output (the spanning-tree
decomposition); an occurrence is replaced only if every row stays within the limit.
"""

from __future__ import annotations

import heapq

import numpy as np
from numba import njit, types
from numba.typed import Dict

from ..errors import CompileError
from .builder import GraphBuilder, Term

VALUE_BITS, SHIFT_BITS = 24, 10  # bits for a value index and a shift in a pattern key
VALUE_MASK = (1 << VALUE_BITS) - 1
SHIFT_MASK = (1 << SHIFT_BITS) - 1
A_SHIFT, B_SHIFT = SHIFT_BITS + 1 + VALUE_BITS, SHIFT_BITS + 1
_CMAX, _WMAX, _RB = 1 << 24, 1 << 12, 24  # bounds on counts and widths in a heap rank
_HASH = np.uint64(0xBF58476D1CE4E5B9)
SALT = 0x9E3779B97F4A7C15
NARROW, RECENT, SHALLOW, BITS, RANDOM = range(5)
PRIORITIES = {"narrow": NARROW, "recent": RECENT, "shallow": SHALLOW, "bits": BITS, "random": RANDOM}


def parse_priority(priority: str) -> tuple[int, np.uint64]:
    """``(code, salt)`` of a priority name such as "recent" or "random3"."""
    for name, code in PRIORITIES.items():
        if priority.startswith(name) and (priority[len(name):] == "" or priority[len(name):].isdigit()):
            salted = code in (RECENT, RANDOM)
            i = int(priority[len(name):] or 0)
            return code, np.uint64((i * SALT) % (1 << 64) if salted else 0)
    raise ValueError(f"unknown CSE priority {priority!r}")


# --------------------------------------------------------------------------- kernel


@njit(cache=True)
def _ceil_log2(n):
    k = 0
    m = n - 1
    while m > 0:
        m >>= 1
        k += 1
    return k


@njit(cache=True)
def _pair_key(v1, p1, g1, v2, p2, g2):
    if p2 < p1 or (p2 == p1 and v2 < v1):
        v1, p1, g1, v2, p2, g2 = v2, p2, g2, v1, p1, g1
    return ((((v1 << VALUE_BITS) | v2) << SHIFT_BITS | (p2 - p1)) << 1) | (1 if g1 != g2 else 0)


@njit(cache=True)
def _salted_hash(key, salt, bits):
    h = ((np.uint64(key) ^ np.uint64(salt)) * _HASH) >> np.uint64(40)
    return np.int64(h & np.uint64((1 << bits) - 1))


@njit(cache=True)
def _node_bits(lsb, width, a, b, s):
    """``(lsb, width)`` estimated for ``a +- b << s`` (``builder.estimate_width``)."""
    low = min(lsb[a], lsb[b] + s)
    return low, max(lsb[a] + width[a], lsb[b] + s + width[b]) + 1 - low


@njit(cache=True)
def _hash_key(key):
    """The key in the layout of 21 value and 13 shift bits that the salted tie-breaks were
    tuned on, so that they (and the graphs) stay the same for the matrices it could hold."""
    a = key >> A_SHIFT
    b = (key >> B_SHIFT) & VALUE_MASK
    return ((((a << 21) | b) << 13 | ((key >> 1) & SHIFT_MASK)) << 1) | (key & 1)


@njit(cache=True)
def _rank(prio, salt, key, count, depth, lsb, width):
    """Heap rank of a pattern (smaller is better)."""
    a = key >> A_SHIFT
    b = (key >> B_SHIFT) & VALUE_MASK
    s = (key >> 1) & SHIFT_MASK
    if prio == RECENT:
        tie = _salted_hash(_hash_key(key), salt, 3) if salt != 0 else 0
        return (((((_CMAX - count) << _RB) | (VALUE_MASK - max(a, b))) << 3) | tie)
    if prio == RANDOM:
        return ((_CMAX - count) << _RB) | _salted_hash(_hash_key(key), salt, 24)
    w = min(_node_bits(lsb, width, a, b, s)[1], _WMAX)
    if prio == BITS:
        return ((_CMAX * _WMAX - (count - 1) * w) << _RB) | (_CMAX - count)
    if prio == SHALLOW:
        return ((_CMAX - count) << _RB) | ((depth[a] + depth[b]) << 12) | w
    return ((_CMAX - count) << _RB) | w


@njit(cache=True)
def _get(d, k, default):
    """``d.get(k, default)`` without numba's optional result type."""
    if k in d:
        return d[k]
    return default


@njit(cache=True)
def _find(tv, tp, alive, start, end, v, p):
    for i in range(start, end):
        if alive[i] and tv[i] == v and tp[i] == p:
            return i
    return -1


# the pattern table: open addressing over int64 keys in four arrays, key (-1: empty),
# count of pairs, count at the last heap push (0: none pending), banned (1: cannot apply)


@njit(cache=True)
def _intern(keys, fill, key):
    """The slot of ``key``, taken (with zero columns) if absent; -1 when the table is too
    full to take it (``fill[1]`` is then set and the run must be redone larger)."""
    mask = len(keys) - 1
    i = np.int64((np.uint64(key) * _HASH) >> np.uint64(20)) & mask
    while keys[i] != key:
        if keys[i] == -1:
            if 4 * (fill[0] + 1) > 3 * len(keys):
                fill[1] = 1
                return -1
            keys[i] = key
            fill[0] += 1
            return i
        i = (i + 1) & mask
    return i


@njit(cache=True)
def _count_row_pairs(tv, tp, tg, alive, start, end, i, keys, counts, fill, delta, dirty):
    """Add ``delta`` to the count of the pattern term ``i`` forms with every other live term."""
    for j in range(start, end):
        if j != i and alive[j]:
            k = _pair_key(tv[i], tp[i], tg[i], tv[j], tp[j], tg[j])
            slot = _intern(keys, fill, k)
            if slot >= 0:
                counts[slot] += delta
                if delta > 0:
                    dirty.append(k)


@njit(cache=True)
def eliminate(row_ptr, init_v, init_p, init_g, depth, lsb, width, node_keys, n_inputs,
              weight, parent, order, child_ptr, child_idx, limit, prio, salt):
    """The elimination (see the module docstring) over rows of terms ``(v, p, g)`` given
    as flat arrays, the values' depths, lsbs and widths, the nodes' keys, each row's
    ``S_r`` and the decomposition tree.  Returns the rows' final terms as ``(ptr, v, p, g)``
    and the created nodes' keys, depths, lsbs and widths (estimates) in creation order."""
    lengths = row_ptr[1:] - row_ptr[:-1]
    pairs = np.sum(lengths * (lengths - 1) // 2)
    # twice the initial pairs (each may be a distinct key) and the pairs of a step
    longest = np.max(lengths) if len(lengths) else 0
    # (at most 2**20 slots, grown when a run overflows them), unless the values and shifts
    # allow fewer keys than there are pairs: a big dense matrix has billions of pairs over
    # millions of keys, and its table is sized for those at once
    step = 4 * len(lengths) * longest
    target = min(2 * pairs + step, 1 << 20)
    span = (np.max(init_p) - np.min(init_p) + 1) if len(init_p) else 1
    keys_bound = 2 * len(depth) * len(depth) * span
    if keys_bound < pairs:
        target = max(target, 4 * keys_bound // 3 + step)
    capacity = 1024
    while capacity < target:
        capacity *= 2
    while True:  # the pattern table must hold every pair key the run meets
        result = _eliminate(row_ptr, init_v, init_p, init_g, depth, lsb, width, node_keys, n_inputs,
                            weight.copy(), parent, order, child_ptr, child_idx, limit, prio, salt, capacity)
        if result[0]:
            return result[1:]
        capacity *= 4


@njit(cache=True)
def _eliminate(row_ptr, init_v, init_p, init_g, depth0, lsb0, width0, node_keys, n_inputs,
               weight, parent, order, child_ptr, child_idx, limit, prio, salt, capacity):
    """One attempt of ``eliminate`` with a pattern table of ``capacity`` slots; the first
    result is False when that was too small."""
    n_rows = len(row_ptr) - 1
    n_terms = row_ptr[-1]
    n_existing = len(depth0)
    n_max = n_existing + n_terms + 1
    depth = np.zeros(n_max, np.int64)
    lsb = np.zeros(n_max, np.int64)
    width = np.zeros(n_max, np.int64)
    depth[:n_existing] = depth0
    lsb[:n_existing] = lsb0
    width[:n_existing] = width0
    cache = Dict.empty(key_type=types.int64, value_type=types.int64)
    for j in range(len(node_keys)):
        cache[node_keys[j]] = n_inputs + j
    new_keys = np.zeros(n_terms + 1, np.int64)
    n_vals = n_existing
    # the row pool: row r owns slots [start[r], start[r] + 2 * len + 2)
    start = np.zeros(n_rows + 1, np.int64)
    for r in range(n_rows):
        start[r + 1] = start[r] + 2 * (row_ptr[r + 1] - row_ptr[r]) + 2
    end = start[:-1].copy()
    tv = np.zeros(start[-1], np.int64)
    tp = np.zeros(start[-1], np.int64)
    tg = np.zeros(start[-1], np.int64)
    alive = np.zeros(start[-1], np.bool_)
    # the rows that may hold a value: a list per value, an entry per insertion (stale
    # entries and repeats are skipped where the list is read)
    head = np.full(n_max, -1, np.int64)
    link = np.zeros(start[-1] + n_rows + 1, np.int64)
    link_row = np.zeros(start[-1] + n_rows + 1, np.int64)
    n_links = 0
    keys = np.full(capacity, -1, np.int64)
    counts = np.zeros(capacity, np.int64)
    pushed = np.zeros(capacity, np.int64)
    banned = np.zeros(capacity, np.bool_)
    fill = np.zeros(2, np.int64)  # keys taken, overflow flag
    dirty = [np.int64(0)]
    dirty.pop()

    def insert(r, v, p, g, count, n_links):
        i = end[r]
        end[r] += 1
        tv[i], tp[i], tg[i], alive[i] = v, p, g, True
        if count:
            _count_row_pairs(tv, tp, tg, alive, start[r], end[r], i, keys, counts, fill, 1, dirty)
        if head[v] < 0 or link_row[head[v]] != r:
            link[n_links], link_row[n_links] = head[v], r
            head[v] = n_links
            n_links += 1
        return n_links

    def remove(r, i, count):
        if count:
            _count_row_pairs(tv, tp, tg, alive, start[r], end[r], i, keys, counts, fill, -1, dirty)
        alive[i] = False
        return tg[i]

    def merge_in(r, v, p, g, count, n_links):
        """Add a term, folding ``x + x = 2x`` and ``x - x = 0``."""
        while True:
            i = _find(tv, tp, alive, start[r], end[r], v, p)
            if i < 0:
                break
            h = remove(r, i, count)
            if h != g:
                return n_links
            p += 1
        return insert(r, v, p, g, count, n_links)

    for r in range(n_rows):
        for t in range(row_ptr[r], row_ptr[r + 1]):
            n_links = merge_in(r, init_v[t], init_p[t], init_g[t], False, n_links)
    for r in range(n_rows):
        if fill[1]:
            break  # the table overflowed: no use counting the rest
        for i in range(start[r], end[r]):
            if alive[i]:
                for j in range(i + 1, end[r]):
                    if alive[j]:
                        k = _pair_key(tv[i], tp[i], tg[i], tv[j], tp[j], tg[j])
                        slot = _intern(keys, fill, k)
                        if slot >= 0:
                            counts[slot] += 1

    # depth bookkeeping: S_r = sum 2**d over a row's terms, and each row's level
    level = np.zeros(n_rows, np.int64)

    def relevel():
        for r in order:
            q = parent[r]
            level[r] = _ceil_log2(weight[r] + ((1 << level[q]) if q >= 0 else 0))

    relevel()
    related = np.zeros(n_rows, np.bool_)
    for r in range(n_rows):
        if parent[r] >= 0:
            related[r] = True
            related[parent[r]] = True
    mark = np.zeros(n_rows, np.int64)  # stamps, one per question asked
    new_level = np.zeros(n_rows, np.int64)
    trial_w = np.zeros(n_rows, np.int64)
    trial_at = np.full(n_rows, -1, np.int64)  # rows whose weight the current apply changes
    stack = np.zeros(n_rows + 1, np.int64)
    n_asked = 0

    def allows(changed, n_changed, apply_id, n_asked):
        """Would every row stay within the limit with the trial weights?"""
        if limit < 0:
            return True
        independent = True
        for t in range(n_changed):
            if related[changed[t]]:
                independent = False
        if independent:
            for t in range(n_changed):
                if _ceil_log2(trial_w[changed[t]]) > limit:
                    return False
            return True
        # the changed rows and their descendants, then their levels in order
        top = 0
        for t in range(n_changed):
            stack[top] = changed[t]
            top += 1
        while top > 0:
            top -= 1
            r = stack[top]
            if mark[r] == n_asked:
                continue
            mark[r] = n_asked
            for c in child_idx[child_ptr[r] : child_ptr[r + 1]]:
                if mark[c] != n_asked:
                    stack[top] = c
                    top += 1
        for r in order:
            if mark[r] != n_asked:
                continue
            q = parent[r]
            w = trial_w[r] if trial_at[r] == apply_id else weight[r]
            extra = 0
            if q >= 0:
                extra = 1 << (new_level[q] if mark[q] == n_asked else level[q])
            lv = _ceil_log2(w + extra)
            if lv > limit:
                return False
            new_level[r] = lv
        return True

    # the heap of patterns that repeat
    heap = [(np.int64(0), np.int64(0), np.int64(0))]
    heap.pop()
    for j in range(capacity):
        c = counts[j]
        if keys[j] != -1 and c >= 2:
            pushed[j] = c
            heap.append((_rank(prio, salt, keys[j], c, depth, lsb, width), keys[j], c))
    heapq.heapify(heap)

    def push(j, c):
        """Queue the pattern in slot j at count c unless it is queued at c or more."""
        if c > pushed[j]:
            pushed[j] = c
            k = keys[j]
            heapq.heappush(heap, (_rank(prio, salt, k, c, depth, lsb, width), k, c))

    occ_r = np.zeros(n_terms + 1, np.int64)
    occ_p = np.zeros(n_terms + 1, np.int64)
    row_seen = np.full(n_rows, -1, np.int64)
    cand = np.zeros(n_rows, np.int64)
    changed = np.zeros(n_rows, np.int64)
    n_new = 0
    apply_id = 0

    while True:
        # queue every pattern that gained pairs since the last step at its count now
        if fill[1]:
            break  # the table overflowed: the caller redoes the run with a larger one
        for k in dirty:
            j = _intern(keys, fill, k)
            if counts[j] >= 2 and not banned[j]:
                push(j, counts[j])
        dirty.clear()
        applied = False
        while len(heap) > 0:
            _, key, c0 = heapq.heappop(heap)
            j = _intern(keys, fill, key)
            if pushed[j] != c0:
                continue  # superseded by a later push
            pushed[j] = 0
            c = counts[j]
            if c < 2 or banned[j]:
                continue
            if c != c0:  # occurrences were used up since: queue it at its true count
                push(j, c)
                continue
            a = key >> A_SHIFT
            b = (key >> B_SHIFT) & VALUE_MASK
            s = (key >> 1) & SHIFT_MASK
            sub = (key & 1) == 1
            d_new = 1 + max(depth[a], depth[b])
            gain = (1 << d_new) - (1 << depth[a]) - (1 << depth[b])  # in a row's S_r
            # non-overlapping occurrences (row, p of a), rows and positions ascending; a row
            # without parent or children that cannot take the gain is not searched
            room = (1 << limit) - gain if 0 <= limit < 62 and gain > 0 else 1 << 62
            n_cand = 0
            e = head[a]
            while e >= 0:
                r = link_row[e]
                if row_seen[r] != key and (related[r] or weight[r] <= room):
                    row_seen[r] = key
                    cand[n_cand] = r
                    n_cand += 1
                e = link[e]
            n_occ = 0
            for r in np.sort(cand[:n_cand]):
                row_seen[r] = -1
                first = n_occ
                positions = []
                for i in range(start[r], end[r]):
                    if alive[i] and tv[i] == a:
                        positions.append(tp[i])
                positions.sort()
                for p in positions:
                    ia = _find(tv, tp, alive, start[r], end[r], a, p)
                    ib = _find(tv, tp, alive, start[r], end[r], b, p + s)
                    if ib < 0 or (tg[ia] != tg[ib]) != sub:
                        continue
                    overlap = False
                    for o in range(first, n_occ):  # (a, p) or (b, p + s) already used
                        q = occ_p[o]
                        if p == q or (a == b and (p == q + s or p + s == q)):
                            overlap = True
                    if not overlap:
                        occ_r[n_occ], occ_p[n_occ] = r, p
                        n_occ += 1
            ok = False
            if n_occ >= 2:
                # keep the occurrences the depth limit allows, in order
                apply_id += 1
                n_changed = 0
                n_acc = 0
                for o in range(n_occ):
                    r = occ_r[o]
                    before = trial_w[r] if trial_at[r] == apply_id else weight[r]
                    fresh = trial_at[r] != apply_id
                    trial_at[r] = apply_id
                    trial_w[r] = before + gain
                    if fresh:
                        changed[n_changed] = r
                        n_changed += 1
                    n_asked += 1
                    if gain <= 0 or allows(changed, n_changed, apply_id, n_asked):
                        occ_r[n_acc], occ_p[n_acc] = r, occ_p[o]
                        n_acc += 1
                    else:  # undo the trial
                        trial_w[r] = before
                        if fresh:
                            trial_at[r] = -1
                            n_changed -= 1
                if n_acc >= 2:
                    ok = True
                    node = _get(cache, key, -1)
                    if node < 0:
                        node = n_vals
                        n_vals += 1
                        cache[key] = node
                        new_keys[n_new] = key
                        n_new += 1
                        depth[node] = d_new
                        lsb[node], width[node] = _node_bits(lsb, width, a, b, s)
                    for o in range(n_acc):
                        r, p = occ_r[o], occ_p[o]
                        ia = _find(tv, tp, alive, start[r], end[r], a, p)
                        ga = remove(r, ia, True)
                        ib = _find(tv, tp, alive, start[r], end[r], b, p + s)
                        remove(r, ib, True)
                        n_links = merge_in(r, node, p, ga, True, n_links)
                    for t in range(n_changed):
                        r = changed[t]
                        w = 0
                        for i in range(start[r], end[r]):
                            if alive[i]:
                                w += 1 << depth[tv[i]]
                        weight[r] = w
                    relevel()
            if ok:
                applied = True
                break
            banned[j] = True
        if not applied:
            break

    ptr = np.zeros(n_rows + 1, np.int64)
    for r in range(n_rows):
        ptr[r + 1] = ptr[r] + np.sum(alive[start[r] : end[r]])
    out_v = np.zeros(ptr[-1], np.int64)
    out_p = np.zeros(ptr[-1], np.int64)
    out_g = np.zeros(ptr[-1], np.int64)
    t = 0
    for r in range(n_rows):
        for i in range(start[r], end[r]):
            if alive[i]:
                out_v[t], out_p[t], out_g[t] = tv[i], tp[i], tg[i]
                t += 1
    made = n_existing + np.arange(n_new)
    return fill[1] == 0, ptr, out_v, out_p, out_g, new_keys[:n_new], depth[made], lsb[made], width[made]


# --------------------------------------------------------------------------- driver


def node_key(a: int, b: int, shift: int, sub: bool) -> int:
    return (((a << VALUE_BITS | b) << SHIFT_BITS | shift) << 1) | int(sub)


def decode(key: int) -> tuple[int, int, int, bool]:
    return key >> A_SHIFT, (key >> B_SHIFT) & VALUE_MASK, (key >> 1) & SHIFT_MASK, bool(key & 1)


class KernelState:
    """Rows and the builder's values as the kernels take them: the terms flattened into
    ``ptr, v, p, g`` arrays, every value's depth, lsb and width, every node's key, and the
    decomposition tree (``parent`` -1 for none, ``order`` parents first, children CSR)."""

    def __init__(self, builder: GraphBuilder, rows: list[list[Term]], parent: list[int | None], order: list[int]):
        self.builder = builder
        flat = np.array([t for row in rows for t in row], dtype=np.int64).reshape(-1, 3)
        n_values = builder.n_inputs + len(builder.nodes)
        top_shift = int(flat[:, 1].max() - min(0, int(flat[:, 1].min()))) if len(flat) else 0
        if n_values + len(flat) > VALUE_MASK or top_shift + 64 > SHIFT_MASK:
            raise CompileError("cmvm", f"matrix too large for the CSE ({n_values} values, shifts up to {top_shift})")
        self.ptr = np.concatenate(([0], np.cumsum([len(r) for r in rows]))).astype(np.int64)
        self.v, self.p, self.g = (flat[:, k].copy() for k in range(3))
        self.depth = np.array(builder.depth, np.int64)
        self.lsb = np.array(builder.lsb, np.int64)
        self.width = np.array(builder.width, np.int64)
        self.keys = np.array([node_key(n.a, n.b, n.shift, n.sub) for n in builder.nodes], dtype=np.int64)
        self.parent = np.array([-1 if q is None else q for q in parent], dtype=np.int64)
        children: list[list[int]] = [[] for _ in rows]
        for r, q in enumerate(parent):
            if q is not None:
                children[q].append(r)
        self.child_ptr = np.concatenate(([0], np.cumsum([len(c) for c in children]))).astype(np.int64)
        self.child_idx = np.array([c for cs in children for c in cs], dtype=np.int64)
        self.order = np.array(order, np.int64)

    def tree(self) -> tuple[np.ndarray, ...]:
        return self.parent, self.order, self.child_ptr, self.child_idx

    def rows(self, ptr: np.ndarray, v: np.ndarray, p: np.ndarray, g: np.ndarray, keys: np.ndarray) -> list[list[Term]]:
        """Rows of kernel output terms over the node ``keys`` (the builder's nodes, then the
        kernel's in creation order): the nodes the rows use are added to the builder, and
        the terms renumbered to the builder's values."""
        b = self.builder
        n_in = b.n_inputs
        keys = keys.tolist()
        needed: set[int] = set()
        stack = [x for x in set(v.tolist()) if x >= n_in]
        while stack:
            x = stack.pop()
            if x in needed:
                continue
            needed.add(x)
            a, c, _, _ = decode(keys[x - n_in])
            stack.extend(y for y in (a, c) if y >= n_in and y not in needed)
        renumber = list(range(n_in + len(b.nodes)))
        for x in range(n_in + len(b.nodes), n_in + len(keys)):
            if x in needed:
                a, c, s, sub = decode(keys[x - n_in])
                renumber.append(b.node(renumber[a], renumber[c], s, sub))
            else:
                renumber.append(-1)
        v = [renumber[x] for x in v.tolist()]
        p, g, ptr = p.tolist(), g.tolist(), ptr.tolist()
        return [list(zip(v[ptr[r]:ptr[r + 1]], p[ptr[r]:ptr[r + 1]], g[ptr[r]:ptr[r + 1]])) for r in range(len(ptr) - 1)]


class RowCSE:
    """One elimination over ``rows`` (lists of terms over the builder's values).

    weights: ``S_r = sum 2**depth`` of each row's terms (an upper bound is allowed);
    parent/order: the decomposition tree (a row adds its parent's output; parents come
    first in ``order``); limit: the hard depth limit or None.
    """

    def __init__(self, builder: GraphBuilder, rows: list[list[Term]], weights: list[int],
                 parent: list[int | None], order: list[int], limit: int | None, priority: str):
        self.state = KernelState(builder, rows, parent, order)
        self.weights = np.array(weights, np.int64)
        self.limit = -1 if limit is None else limit
        self.prio, self.salt = parse_priority(priority)

    def run(self) -> list[list[Term]]:
        st = self.state
        ptr, v, p, g, new, _, _, _ = eliminate(
            st.ptr, st.v, st.p, st.g, st.depth, st.lsb, st.width, st.keys, st.builder.n_inputs,
            self.weights, *st.tree(), self.limit, self.prio, self.salt,
        )
        return st.rows(ptr, v, p, g, np.concatenate((st.keys, new)))
