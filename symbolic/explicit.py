"""Instantiate the matrix-form equations at small concrete sizes, entry by entry.

The element-wise proofs must differentiate *the same* equations as the matrix-level ones, not a
second transcription of them. So each MatrixSymbol is replaced by an explicit matrix of real scalar
symbols and each size symbol by a number, and SymPy expands the matrix expression into entries.

Entries are named ``<name>_<row>_<col>`` with separators (``W_ax_1_2``): without them ``W_111``
would mean both (1, 11) and (11, 1) once a size reaches 11 (MEASURED.md). ``real=True`` keeps
``diff`` from carrying conjugates around and is several times faster.
"""

from __future__ import annotations

from collections.abc import Mapping

import sympy as sp
from sympy import (
    HadamardPower,
    HadamardProduct,
    MatAdd,
    MatMul,
    MatrixExpr,
    MatrixSymbol,
    OneMatrix,
    Trace,
    Transpose,
    ZeroMatrix,
)
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction
from sympy.matrices.expressions.diagonal import DiagMatrix


def entries(symbol: MatrixSymbol, sizes: Mapping[sp.Symbol, int]) -> sp.ImmutableMatrix:
    """An explicit matrix of real scalar symbols standing for ``symbol`` at the given sizes."""
    rows, cols = (int(sp.sympify(n).xreplace(sizes)) for n in symbol.shape)
    return sp.ImmutableMatrix(
        rows, cols, lambda i, j: sp.Symbol(f"{symbol.name}_{i + 1}_{j + 1}", real=True)
    )


def explicit_mapping(
    symbols: list[MatrixSymbol], sizes: Mapping[sp.Symbol, int]
) -> dict[sp.Basic, sp.Basic]:
    """The substitution that makes every symbol in ``symbols`` explicit, sizes included."""
    mapping: dict[sp.Basic, sp.Basic] = {s: entries(s, sizes) for s in symbols}
    mapping.update(sizes)
    return mapping


def instantiate(expr: sp.Basic, mapping: Mapping[sp.Basic, sp.Basic]) -> sp.Basic:
    """``expr`` with ``mapping`` substituted, then written out entry by entry.

    A matrix expression becomes an ImmutableMatrix; a scalar (for example a Trace) becomes an
    ordinary scalar expression in the entries. ``xreplace`` is used, not ``subs``: it replaces a
    MatrixSymbol as a whole, symbolic shape included, and never re-simplifies on the way. The tree
    is then evaluated bottom-up with explicit matrix arithmetic (``as_explicit`` goes through
    symbolic ``Sum`` objects and is about ten times slower).
    """
    return _evaluate(expr.xreplace(dict(mapping)))


def _evaluate(expr: sp.Basic) -> sp.Basic:
    if isinstance(expr, sp.MatrixBase):
        return sp.ImmutableMatrix(expr)
    if isinstance(expr, MatrixExpr):
        return sp.ImmutableMatrix(_evaluate_matrix(expr))
    if not expr.has(MatrixExpr) and not any(isinstance(a, sp.MatrixBase) for a in expr.atoms()):
        return expr
    if isinstance(expr, Trace):
        return _evaluate(expr.arg).trace()
    return expr.func(*[_evaluate(arg) for arg in expr.args])


def _evaluate_matrix(expr: MatrixExpr) -> sp.MatrixBase:
    args = expr.args
    if isinstance(expr, OneMatrix):
        return sp.ones(int(expr.rows), int(expr.cols))
    if isinstance(expr, ZeroMatrix):
        return sp.zeros(int(expr.rows), int(expr.cols))
    if isinstance(expr, MatrixSymbol):
        raise TypeError(f"{expr} has no explicit value in the substitution")
    if isinstance(expr, MatAdd):
        return _reduce(lambda left, right: left + right, [_evaluate(a) for a in args])
    if isinstance(expr, MatMul):
        scalar = sp.Mul(*[a for a in args if not _is_matrix(a)])
        product = _reduce(
            lambda left, right: left * right, [_evaluate(a) for a in args if _is_matrix(a)]
        )
        return product * scalar
    if isinstance(expr, HadamardProduct):
        return _reduce(lambda a, b: a.multiply_elementwise(b), [_evaluate(a) for a in args])
    if isinstance(expr, HadamardPower):
        exponent = expr.exp
        return _evaluate(expr.base).applyfunc(lambda entry: entry**exponent)
    if isinstance(expr, Transpose):
        return _evaluate(expr.arg).T
    if isinstance(expr, ElementwiseApplyFunction):
        return _evaluate(expr.expr).applyfunc(expr.function)
    if isinstance(expr, DiagMatrix):
        vector = _evaluate(args[0])
        return sp.diag(*list(vector))
    raise TypeError(f"cannot write out {type(expr).__name__}: {expr}")


def _is_matrix(expr: sp.Basic) -> bool:
    return isinstance(expr, (MatrixExpr, sp.MatrixBase))


def _reduce(combine, items):
    result = items[0]
    for item in items[1:]:
        result = combine(result, item)
    return result
