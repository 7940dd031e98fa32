"""The adder graph: a multiplier-free program computing ``y = W @ x``.

Values ``0 .. n_inputs-1`` are the inputs.  Value ``n_inputs + j`` is ``nodes[j]``::

    v = v[a] + (-1 if sub else 1) * v[b] * 2**shift        (a, b < its own index)

Each output is a signed, shifted copy of one value (or the constant zero)::

    y_j = (-1 if negate else 1) * v[value] * 2**shift       (value None => y_j = 0)

Shifts may be negative, so values are dyadic rationals.  Everything here stays exact:
every value has a static power-of-two exponent and an integer mantissa, never a float.

A value is a linear form ``sum_j c_j * x_j`` of the inputs with dyadic coefficients; its
exact range over independent inputs is therefore the sum of the ranges of ``c_j * x_j``,
which ``value_intervals`` computes (interval arithmetic over the adders would overestimate
it whenever two operands share an input).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..numerics import Interval


@dataclass(frozen=True)
class AdderNode:
    """``v[a] + (-1 if sub else 1) * v[b] * 2**shift``; a and b index earlier values."""

    a: int
    b: int
    shift: int
    sub: bool


@dataclass(frozen=True)
class OutputTerm:
    """``y = (-1 if negate else 1) * v[value] * 2**shift``; value None means y = 0."""

    value: int | None
    shift: int
    negate: bool


ZERO_OUTPUT = OutputTerm(None, 0, False)


@dataclass
class AdderGraph:
    n_inputs: int
    nodes: list[AdderNode] = field(default_factory=list)
    outputs: list[OutputTerm] = field(default_factory=list)

    @property
    def n_values(self) -> int:
        return self.n_inputs + len(self.nodes)

    def check(self) -> None:
        """Raise ValueError unless every operand names an earlier value."""
        for j, node in enumerate(self.nodes):
            here = self.n_inputs + j
            if not (0 <= node.a < here and 0 <= node.b < here):
                raise ValueError(f"adder node {j} (value {here}) uses a later value: {node}")
        for j, out in enumerate(self.outputs):
            if out.value is not None and not 0 <= out.value < self.n_values:
                raise ValueError(f"output {j} names value {out.value} of {self.n_values}")


# --------------------------------------------------------------------------- coefficients


@dataclass(frozen=True)
class LinearForm:
    """``value = sum_j mant[j] * 2**exp * x_j`` (mant a tuple of Python ints)."""

    mant: tuple[int, ...]
    exp: int


def combine_forms(p: LinearForm, q: LinearForm, shift: int, sub: bool) -> LinearForm:
    qe = q.exp + shift
    e = min(p.exp, qe)
    sp, sq = p.exp - e, qe - e
    sign = -1 if sub else 1
    mant = tuple((u << sp) + sign * (w << sq) for u, w in zip(p.mant, q.mant))
    return _normalize(LinearForm(mant, e))


def _normalize(form: LinearForm) -> LinearForm:
    """Move common factors of two from the mantissas into the exponent."""
    tz = None
    for m in form.mant:
        if m:
            t = (m & -m).bit_length() - 1
            tz = t if tz is None else min(tz, t)
    if tz is None:
        return LinearForm(form.mant, 0)
    if tz == 0:
        return form
    return LinearForm(tuple(m >> tz for m in form.mant), form.exp + tz)


def linear_forms(graph: AdderGraph) -> list[LinearForm]:
    """The exact input coefficients of every value."""
    n = graph.n_inputs
    forms = [LinearForm(tuple(int(i == j) for i in range(n)), 0) for j in range(n)]
    for node in graph.nodes:
        forms.append(combine_forms(forms[node.a], forms[node.b], node.shift, node.sub))
    return forms


def output_matrix(graph: AdderGraph) -> tuple[np.ndarray, int]:
    """``(M, e)`` with ``y = (M * 2**e) @ x`` exactly; M an object array of ints."""
    forms = linear_forms(graph)
    rows: list[LinearForm] = []
    for out in graph.outputs:
        if out.value is None:
            rows.append(LinearForm((0,) * graph.n_inputs, 0))
            continue
        f = forms[out.value]
        sign = -1 if out.negate else 1
        rows.append(LinearForm(tuple(sign * m for m in f.mant), f.exp + out.shift))
    e = min((r.exp for r in rows), default=0)
    M = np.array([[m << (r.exp - e) for m in r.mant] for r in rows], dtype=object)
    return M.reshape(len(rows), graph.n_inputs), e


def realized_matrix(graph: AdderGraph) -> np.ndarray:
    """The integer matrix the graph computes; ValueError if some entry is not an integer."""
    M, e = output_matrix(graph)
    if e >= 0:
        return M * (1 << e)
    if any(int(m) % (1 << -e) for m in M.flat):
        raise ValueError("graph computes a non-integer coefficient")
    return np.vectorize(lambda m: m >> -e, otypes=[object])(M) if M.size else M


# --------------------------------------------------------------------------- ranges


def form_interval(form: LinearForm, input_intervals: list[Interval]) -> Interval:
    """Exact range of ``form`` with each input independently anywhere in its interval.

    The resolution is the coarsest one every reachable value is a multiple of, so the
    width of the result is the number of bits an adder producing it needs.
    """
    return terms_interval(zip(form.mant, input_intervals), form.exp)


def terms_interval(terms, exp: int) -> Interval:
    """``form_interval`` of ``sum m * x * 2**exp`` over ``(m, interval of x)`` pairs."""
    terms = [(m, iv) for m, iv in terms if m and (iv.lo or iv.hi)]
    if not terms:
        return Interval(0, 0, 0)
    f = max(iv.f - exp for _, iv in terms)
    lo = hi = 0
    for m, iv in terms:
        s = f - (iv.f - exp)  # m * x at resolution 2**-f: mantissa * m << s
        a, b = (m * iv.lo) << s, (m * iv.hi) << s
        lo += min(a, b)
        hi += max(a, b)
    return _coarsest(Interval(lo, hi, f), terms, exp, f)


def _coarsest(iv: Interval, terms, exp: int, f: int) -> Interval:
    """Drop trailing resolution bits that no term can set."""
    tz = None
    for m, inp in terms:
        # the term's values are m * k * 2**(exp - inp.f) for integers k in [lo, hi]; their
        # common factor of two is that of m (k = 1 may be reachable; stay conservative if
        # the input interval is a single value, which is fixed: use that value's factor).
        unit = m * (inp.lo if inp.lo == inp.hi else 1)
        t = ((unit & -unit).bit_length() - 1) + (f - (inp.f - exp))
        tz = t if tz is None else min(tz, t)
    if not tz:
        return iv
    return Interval(iv.lo >> tz, iv.hi >> tz, iv.f - tz)


def value_intervals(graph: AdderGraph, input_intervals: list[Interval]) -> list[Interval]:
    """The exact range of every value (inputs first, then each node).

    The linear forms are kept sparse (input -> mantissa) and only while a later node still
    reads them, so a graph of many values over many inputs takes memory like its nodes'
    supports, not values x inputs."""
    if len(input_intervals) != graph.n_inputs:
        raise ValueError(f"{len(input_intervals)} input intervals for {graph.n_inputs} inputs")
    n = graph.n_inputs
    readers = [0] * graph.n_values
    for node in graph.nodes:
        readers[node.a] += 1
        readers[node.b] += 1
    forms: dict[int, tuple[dict[int, int], int]] = {j: ({j: 1}, 0) for j in range(n)}
    out = [terms_interval([(1, iv)], 0) for iv in input_intervals]
    for k, node in enumerate(graph.nodes):
        form = _combine_sparse(forms[node.a], forms[node.b], node.shift, node.sub)
        out.append(terms_interval(((m, input_intervals[j]) for j, m in form[0].items()), form[1]))
        for v in (node.a, node.b):
            readers[v] -= 1
            if readers[v] == 0:
                forms.pop(v, None)
        if readers[n + k]:
            forms[n + k] = form
    return out


def _combine_sparse(p: tuple[dict[int, int], int], q: tuple[dict[int, int], int], shift: int,
                    sub: bool) -> tuple[dict[int, int], int]:
    """``combine_forms`` of sparse forms ``(input -> mantissa, exp)``."""
    (pm, pe), (qm, qe) = p, q
    qe += shift
    e = min(pe, qe)
    sp, sq = pe - e, qe - e
    mant = {j: u << sp for j, u in pm.items()}
    for j, w in qm.items():
        m = mant.get(j, 0) + (-(w << sq) if sub else (w << sq))
        if m:
            mant[j] = m
        else:
            mant.pop(j, None)
    tz = min(((m & -m).bit_length() - 1 for m in mant.values()), default=None)
    if tz is None:
        return {}, 0
    if tz:
        mant = {j: m >> tz for j, m in mant.items()}
    return mant, e + tz


# --------------------------------------------------------------------------- cost


def depths(graph: AdderGraph) -> list[int]:
    """Adder levels from the inputs to every value (inputs are at depth 0)."""
    d = [0] * graph.n_inputs
    for node in graph.nodes:
        d.append(1 + max(d[node.a], d[node.b]))
    return d


def depth(graph: AdderGraph) -> int:
    d = depths(graph)
    return max((d[o.value] for o in graph.outputs if o.value is not None), default=0)


def live_values(graph: AdderGraph) -> list[bool]:
    """Which values some output depends on."""
    live = [False] * graph.n_values
    for out in graph.outputs:
        if out.value is not None:
            live[out.value] = True
    for j in range(len(graph.nodes) - 1, -1, -1):
        if live[graph.n_inputs + j]:
            live[graph.nodes[j].a] = live[graph.nodes[j].b] = True
    return live


def prune(graph: AdderGraph) -> AdderGraph:
    """The same computation without the nodes no output depends on."""
    live = live_values(graph)
    n = graph.n_inputs
    new_index = list(range(n))
    nodes: list[AdderNode] = []
    for j, node in enumerate(graph.nodes):
        if live[n + j]:
            new_index.append(n + len(nodes))
            nodes.append(AdderNode(new_index[node.a], new_index[node.b], node.shift, node.sub))
        else:
            new_index.append(-1)
    outputs = [o if o.value is None else OutputTerm(new_index[o.value], o.shift, o.negate) for o in graph.outputs]
    return AdderGraph(n, nodes, outputs)


def stats(graph: AdderGraph, input_intervals: list[Interval]) -> dict[str, int]:
    """adders: node count; adder_bits: sum of the widths of every adder's exact output
    range; depth: adder levels on the longest input-to-output path."""
    ivs = value_intervals(graph, input_intervals)
    return {
        "adders": len(graph.nodes),
        "adder_bits": sum(iv.width for iv in ivs[graph.n_inputs :]),
        "depth": depth(graph),
    }


# --------------------------------------------------------------------------- execution


def evaluate_dyadic(graph: AdderGraph, x: np.ndarray, input_exps: list[int] | None = None) -> tuple[np.ndarray, list[int]]:
    """Run the graph on integer mantissas ``x`` (batch, n_in), input j worth x * 2**input_exps[j].

    Returns ``(m, e)``: output j is exactly ``m[:, j] * 2**e[j]``.  int64 arithmetic where a
    static bound shows it cannot overflow, Python integers (object arrays) otherwise.
    """
    x = np.asarray(x)
    if x.ndim != 2 or x.shape[1] != graph.n_inputs:
        raise ValueError(f"expected inputs of shape (batch, {graph.n_inputs}), got {x.shape}")
    exps = list(input_exps) if input_exps is not None else [0] * graph.n_inputs
    big = [int(np.max(np.abs(x[:, j].astype(object)))) if x.shape[0] else 0 for j in range(graph.n_inputs)]
    # per-value exponent and magnitude bound (of the mantissa), both static
    val_exp = list(exps)
    bound = big[:]
    for node in graph.nodes:
        qe = val_exp[node.b] + node.shift
        e = min(val_exp[node.a], qe)
        val_exp.append(e)
        bound.append((bound[node.a] << (val_exp[node.a] - e)) + (bound[node.b] << (qe - e)))
    out_exps = [val_exp[o.value] + o.shift if o.value is not None else 0 for o in graph.outputs]
    dtype = np.int64 if max(bound, default=0) < (1 << 62) else object
    vals: list[np.ndarray] = [x[:, j].astype(dtype) for j in range(graph.n_inputs)]
    for node in graph.nodes:
        e = val_exp[len(vals)]
        pa = vals[node.a] << (val_exp[node.a] - e) if val_exp[node.a] != e else vals[node.a]
        sq = val_exp[node.b] + node.shift - e
        pb = vals[node.b] << sq if sq else vals[node.b]
        vals.append(pa - pb if node.sub else pa + pb)
    batch = x.shape[0]
    m = np.zeros((batch, len(graph.outputs)), dtype=dtype)
    for j, out in enumerate(graph.outputs):
        if out.value is not None:
            m[:, j] = -vals[out.value] if out.negate else vals[out.value]
    return m, out_exps


def evaluate(graph: AdderGraph, x: np.ndarray) -> np.ndarray:
    """Exact integer outputs (batch, n_out) for integer inputs x (batch, n_in).

    int64 when no value can overflow 62 bits, otherwise an object array of Python ints.
    ValueError if some output is not an integer (only possible with negative shifts in a
    graph that does not compute an integer matrix).
    """
    m, exps = evaluate_dyadic(graph, x)
    cols = []
    for j, e in enumerate(exps):
        col = m[:, j]
        if e < 0:
            if np.any(col % (1 << -e)):
                raise ValueError(f"output {j} is not an integer")
            col = col >> -e
        elif e > 0:
            col = col.astype(object) << e
        cols.append(col)
    if not cols:
        return np.zeros((m.shape[0], 0), dtype=np.int64)
    out = np.stack([c.astype(object) for c in cols], axis=1)
    if all(abs(int(v)) < (1 << 62) for v in (out.max(initial=0), out.min(initial=0))):
        return out.astype(np.int64)
    return out
