"""Random rtl modules with an exact reference: fixed-point adder trees.

Every node of a random graph is a fixed-point value ``m * 2**-f`` with an exact integer
interval; its rtl value holds ``m`` in the fewest bits (two's complement when it can be
negative).  Nodes are built from earlier ones by aligned add / sub (shift by concat with
zeros, extend, truncate to the exact result width), optionally three-operand add3, negation, truncating right shifts
(extract), relu and max (icmp + mux) and lookup tables (rom).  Alongside, the reference
value of each node is computed on numpy object arrays of Python integers: exact
arithmetic with no wrap-around, independent of the rtl semantics.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import numpy as np
from xdsl.dialects import builtin
from xdsl.ir import Block, Operation, Region, SSAValue

from fpga_opt.dialects import rtl
from fpga_opt.dialects.rtl import width_of
from fpga_opt.numerics import Format, Interval


@dataclass
class Node:
    value: SSAValue
    interval: Interval
    reference: np.ndarray  # exact mantissas, object dtype

    @property
    def signed(self) -> bool:
        return self.interval.lo < 0

    @property
    def fmt(self) -> Format:
        return self.interval.format()


@dataclass
class RandomDesign:
    module: builtin.ModuleOp
    inputs: np.ndarray  # (batch, n_inputs) mantissas
    expected: np.ndarray  # (batch, n_outputs) exact mantissas

    @property
    def rtl_module(self) -> rtl.ModuleOp:
        op = self.module.body.block.first_op
        assert isinstance(op, rtl.ModuleOp)
        return op


@dataclass
class _Builder:
    rng: np.random.Generator
    block: Block
    nodes: list[Node] = field(default_factory=list)

    def emit(self, op: Operation) -> SSAValue:
        self.block.add_op(op)
        return op.results[0]

    def resize(self, node: Node, width: int) -> SSAValue:
        """The node's bits sign/zero-extended or truncated to ``width`` (mod 2^width)."""
        w = width_of(node.value)
        value = node.value
        if width > w:
            extend = rtl.SExtOp if node.signed else rtl.ZExtOp
            value = self.emit(extend(value, width))
        elif width < w:
            value = self.emit(rtl.ExtractOp(value, 0, width))
        return value

    def shifted(self, node: Node, shift: int) -> Node:
        """``node * 2**shift`` at a finer resolution: append ``shift`` zero bits."""
        if shift == 0:
            return node
        zeros = self.emit(rtl.ConstantOp(0, shift))
        value = self.emit(rtl.ConcatOp([node.value, zeros]))
        iv = node.interval
        return Node(value, Interval(iv.lo << shift, iv.hi << shift, iv.f + shift),
                    node.reference * (1 << shift))

    def add(self, x: Node, y: Node, subtract: bool) -> Node:
        f = max(x.interval.f, y.interval.f)
        x, y = self.shifted(x, f - x.interval.f), self.shifted(y, f - y.interval.f)
        interval = x.interval - y.interval if subtract else x.interval + y.interval
        width = max(interval.width, 1)
        a, b = self.resize(x, width), self.resize(y, width)
        value = self.emit((rtl.SubOp if subtract else rtl.AddOp)(a, b))
        reference = x.reference - y.reference if subtract else x.reference + y.reference
        return Node(value, interval, reference)

    def add3(self, x: Node, y: Node, z: Node, signs: str) -> Node:
        """``x ± y ± z`` as one rtl.add3 (``signs`` like ``"+-+"``) at the exact width."""
        f = max(n.interval.f for n in (x, y, z))
        aligned = [self.shifted(n, f - n.interval.f) for n in (x, y, z)]
        interval, reference = aligned[0].interval, aligned[0].reference
        for sign, n in zip(signs[1:], aligned[1:]):
            interval = interval - n.interval if sign == "-" else interval + n.interval
            reference = reference - n.reference if sign == "-" else reference + n.reference
        width = max(interval.width, 1)
        a, b, c = (self.resize(n, width) for n in aligned)
        return Node(self.emit(rtl.TernaryAddOp(a, b, c, signs)), interval, reference)

    def negate(self, x: Node) -> Node:
        interval = -x.interval
        width = max(interval.width, 1)
        zero = self.emit(rtl.ConstantOp(0, width))
        value = self.emit(rtl.SubOp(zero, self.resize(x, width)))
        return Node(value, interval, -x.reference)

    def shift_right(self, x: Node, s: int) -> Node:
        """Floor of ``x / 2**s`` (drop ``s`` low bits), keeping the resolution label."""
        w = width_of(x.value)
        s = min(s, w - 1)
        value = self.emit(rtl.ExtractOp(x.value, s, w - s))
        iv = x.interval
        return Node(value, Interval(iv.lo >> s, iv.hi >> s, iv.f - s), x.reference >> s)

    def relu(self, x: Node) -> Node:
        w = width_of(x.value)
        zero = self.emit(rtl.ConstantOp(0, w))
        negative = self.emit(rtl.ICmpOp("slt", x.value, zero))
        value = self.emit(rtl.MuxOp(negative, zero, x.value))
        interval = Interval(0, max(x.interval.hi, 0), x.interval.f)
        width = max(interval.width, 1)
        value = self.emit(rtl.ExtractOp(value, 0, width))
        return Node(value, interval, np.maximum(x.reference, 0))

    def maximum(self, x: Node, y: Node) -> Node:
        f = max(x.interval.f, y.interval.f)
        x, y = self.shifted(x, f - x.interval.f), self.shifted(y, f - y.interval.f)
        hull = x.interval.hull(y.interval)
        width = max(hull.width, 1)
        a, b = self.resize(x, width), self.resize(y, width)
        predicate = "sgt" if hull.lo < 0 else "ugt"
        greater = self.emit(rtl.ICmpOp(predicate, a, b))
        value = self.emit(rtl.MuxOp(greater, a, b))
        interval = Interval(max(x.interval.lo, y.interval.lo), max(x.interval.hi, y.interval.hi), f)
        value = self.resize(Node(value, hull, x.reference), max(interval.width, 1))
        return Node(value, interval, np.maximum(x.reference, y.reference))

    def lookup(self, x: Node) -> Node:
        """A random table indexed by the low bits of ``x`` (read as unsigned)."""
        bits = int(self.rng.integers(1, min(width_of(x.value), 6) + 1))
        index = self.emit(rtl.ExtractOp(x.value, 0, bits))
        out_fmt = Format(int(self.rng.integers(0, 2)), int(self.rng.integers(1, 8)), 0)
        lo, hi = out_fmt.interval().lo, out_fmt.interval().hi
        table = [int(v) for v in self.rng.integers(lo, hi + 1, 1 << bits)]
        interval = Interval(min(table), max(table), 0)
        width = max(interval.width, 1)
        value = self.emit(rtl.RomOp(index, table, width))
        lut = np.array(table, dtype=object)
        reference = lut[(x.reference & ((1 << bits) - 1)).astype(np.int64)]
        return Node(value, interval, reference)


def _random_format(rng: np.random.Generator, wide: bool) -> Format:
    k = int(rng.integers(0, 2))
    width = int(rng.integers(66, 100)) if wide else int(rng.integers(1, 13))
    width = max(width, k + 1) if k else width
    f = int(rng.integers(-3, 5))
    return Format(k, width - k - f, f)


def random_design(
    seed: int, batch: int = 10_000, n_nodes: int = 24, wide: bool = False,
    nonlinear: bool = True, ternary: bool = False,
) -> RandomDesign:
    """A random adder-tree module, its random inputs and their exact outputs.  ``wide``
    makes ports of 66..99 bits (Python-integer arithmetic throughout); ``ternary`` adds
    three-operand adders (rtl.add3) to the mix."""
    rng = np.random.default_rng(seed)
    exact_rng = random.Random(seed)
    n_inputs = int(rng.integers(2, 7))
    formats = [_random_format(rng, wide) for _ in range(n_inputs)]
    block = Block(arg_types=[rtl.bits(fmt.width) for fmt in formats])
    builder = _Builder(rng, block)
    columns = []
    for arg, fmt in zip(block.args, formats):
        iv = fmt.interval()
        column = np.array([exact_rng.randint(iv.lo, iv.hi) for _ in range(batch)], dtype=object)
        columns.append(column)
        builder.nodes.append(Node(arg, iv, column))
    ops = ["add", "sub", "add", "sub", "neg", "shr"]
    if nonlinear:
        ops += ["relu", "max", "rom"]
    if ternary:
        ops += ["add3", "add3"]
    for _ in range(n_nodes):
        kind = ops[int(rng.integers(0, len(ops)))]
        # Prefer recent nodes so the graph grows deep, not only wide.
        n = len(builder.nodes)
        i = max(0, n - int(rng.geometric(0.35)))
        j = (i + int(rng.integers(1, n))) % n  # a different node: x - x is dull
        x, y = builder.nodes[i], builder.nodes[j]
        if kind in ("add", "sub"):
            node = builder.add(x, y, kind == "sub")
        elif kind == "add3":
            z = builder.nodes[int(rng.integers(0, n))]
            node = builder.add3(x, y, z, "+" + "".join(rng.choice(["+", "-"], 2)))
        elif kind == "neg":
            node = builder.negate(x)
        elif kind == "shr":
            if width_of(x.value) < 2:
                continue
            node = builder.shift_right(x, int(rng.integers(1, 4)))
        elif kind == "relu":
            if not x.signed:
                continue
            node = builder.relu(x)
        elif kind == "max":
            node = builder.maximum(x, y)
        else:
            node = builder.lookup(x)
        builder.nodes.append(node)
    varying = [n for n in builder.nodes[n_inputs:] if len(set(n.reference[:100])) > 1]
    outputs = (varying or builder.nodes)[-3:]
    block.add_op(rtl.OutputOp([n.value for n in outputs]))
    module = rtl.ModuleOp(
        f"random{seed}",
        [(f"x{j}", fmt.width, fmt) for j, fmt in enumerate(formats)],
        [(f"y{j}", width_of(n.value), _port_format(n)) for j, n in enumerate(outputs)],
        body=Region(block),
    )
    holder = builtin.ModuleOp([module])
    holder.verify()
    inputs = np.stack(columns, axis=1)
    expected = np.stack([n.reference for n in outputs], axis=1)
    if not wide:
        inputs, expected = inputs.astype(np.int64), expected.astype(np.int64)
    return RandomDesign(holder, inputs, expected)


def _port_format(node: Node) -> Format:
    """The node's format with exactly its value's width (at least one bit)."""
    fmt = node.fmt
    width = width_of(node.value)
    return Format(fmt.k, width - fmt.k - fmt.f, fmt.f)
