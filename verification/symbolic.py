"""The symbolic half of an equivalence proof (verification/equivalence.py): a cmvm
function's outputs as exact linear forms of its inputs, with every nonlinear op an
uninterpreted function of its operands' forms.

    symbolic_outputs(plain) == symbolic_outputs(optimized)

means the optimizer's adder graph computes exactly ``W x`` (cmvm's linear ops are exact:
their types hold every result), whatever order it adds the terms in, which SAT solvers
cannot prove for re-associated sums of products.  It shares nothing with the ops' own
linear forms (dialects/cmvm/linear.py): an independent reading of the IR, in fractions.
"""

from __future__ import annotations

from fractions import Fraction

from xdsl.dialects import builtin, func

from ..dialects.cmvm import ops as cmvm
from ..errors import CompileError

Form = tuple
"""Sorted ((symbol, Fraction), ...): sum of coefficient * symbol; symbol 1 = constant."""


def linear_form(terms: dict) -> Form:
    """The form of ``{symbol: coefficient}`` (zero terms dropped), comparable by ==."""
    return tuple(sorted(((k, v) for k, v in terms.items() if v), key=lambda kv: repr(kv[0])))


def combine(a: Form, b: Form, scale: Fraction) -> Form:
    """``a + scale * b``."""
    terms = dict(a)
    for k, v in b:
        terms[k] = terms.get(k, 0) + scale * v
    return linear_form(terms)


def symbolic_outputs(module: builtin.ModuleOp) -> list[Form]:
    """The public function's outputs as exact linear forms of the inputs and of nonlinear
    op results (keyed by the op, its properties and its operands' forms).  cmvm's linear
    ops are exact (their types hold every result), so equal forms mean equal functions."""
    functions = {f.sym_name.data: f for f in module.body.block.ops if isinstance(f, func.FuncOp)}
    public = [f for f in functions.values() if f.sym_visibility is None or f.sym_visibility.data != "private"]

    def run(function: func.FuncOp, args: list[Form]) -> list[Form]:
        forms = dict(zip(function.body.block.args, args))
        for op in function.body.block.ops:
            x = [forms[v] for v in op.operands]
            if isinstance(op, func.ReturnOp):
                return x
            if isinstance(op, func.CallOp):
                results = run(functions[op.callee.root_reference.data], x)
            elif isinstance(op, cmvm.MatrixLikeOp):
                rows, (rs, cs) = op.matrix, op.shifts()
                results = []
                for j, row in enumerate(rows):
                    y: Form = ()
                    for i, w in enumerate(row):
                        y = combine(y, x[i], Fraction(w) * Fraction(2) ** (rs[j] + cs[i]))
                    results.append(y)
            elif isinstance(op, cmvm.ShiftedBinaryOp):
                results = [combine(x[0], x[1], op.SIGN * Fraction(2) ** op.amount)]
            elif isinstance(op, cmvm.NegOp):
                results = [combine((), x[0], Fraction(-1))]
            elif isinstance(op, cmvm.ShiftOp):
                results = [combine((), x[0], Fraction(2) ** op.amount.value.data)]
            elif isinstance(op, cmvm.ConstantOp):
                m, f = op.mantissa_and_f()
                results = [linear_form({1: Fraction(m) / Fraction(2) ** f})]
            else:  # a nonlinear op: an uninterpreted function of its operands
                key = (op.name, tuple(sorted((k, str(v)) for k, v in op.properties.items())), tuple(x))
                results = [linear_form({(key, j): Fraction(1)}) for j in range(len(op.results))]
            forms.update(zip(op.results, results))
        raise CompileError(f"@{function.sym_name.data}", "function without a return")

    (function,) = public
    return run(function, [linear_form({("in", i): Fraction(1)}) for i in range(len(function.body.block.args))])
