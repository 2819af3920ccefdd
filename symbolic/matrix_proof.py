"""Dimension-free proofs of formulas (0)–(5): SymPy's matrix calculus against the documentation.

SymPy differentiates the scalar cell loss tr(da_nextᵀ tanh∘(z)) with respect to each MatrixSymbol
and answers in terms of ``ElementwiseApplyFunction(d ↦ 1 − tanh(d)², z)``. EQUATIONS.md writes
the same thing in terms of the cached ``a_next = tanh∘(z)``. ``activation_in_a_next`` performs
exactly that rewrite (valid because a_next *is* tanh∘(z), and only applied to that argument); the
proof is then that ``derived − documented`` reduces to the zero matrix with ``doit()``.

Only one cell: SymPy 1.14's matrix calculus is wrong across two steps (MEASURED.md), so the
through-time rule is proven element-wise instead (``elementwise_proof``).
"""

from __future__ import annotations

import time
from functools import cache

import sympy as sp
from rnnspec.symbolic import documented
from rnnspec.symbolic.equations import (
    CELL_LOSS,
    PRE_ACTIVATION,
    PRE_ACTIVATION_LOSS,
    a_next,
    dz,
    z,
)
from rnnspec.symbolic.latex import latex
from rnnspec.symbolic.verdict import PROVEN, Verdict
from sympy import MatAdd, OneMatrix, ZeroMatrix
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction

METHOD = "matrix level, dimension-free"


@cache
def derived_cell_gradients() -> dict[str, sp.MatrixExpr]:
    """SymPy's own gradients of the cell loss, as it returns them (cached: derived once)."""
    derived = {"dz": PRE_ACTIVATION_LOSS.diff(z)}
    for name, variable in documented.WITH_RESPECT_TO.items():
        if name != "dz":
            derived[name] = CELL_LOSS.diff(variable)
    return derived


def _as_polynomial_in_a_next(node: ElementwiseApplyFunction) -> sp.MatrixExpr | None:
    """f∘(z) as a Hadamard polynomial in a_next, when f(d) is a polynomial in tanh(d); else None."""
    d, t = sp.Dummy("d"), sp.Dummy("t")
    body = node.function(d).subs(sp.tanh(d), t)
    if body.has(d):
        return None
    terms = []
    for (power,), coefficient in sp.Poly(body, t).terms():
        if power == 0:
            base = OneMatrix(*a_next.shape)
        elif power == 1:
            base = a_next
        else:
            base = sp.HadamardPower(a_next, power)
        terms.append(coefficient * base)
    return MatAdd(*terms)


def activation_in_a_next(expr: sp.MatrixExpr) -> sp.MatrixExpr:
    """Rewrite every f∘(z) (z the cell's pre-activation) into the same function of a_next."""

    def is_activation(node: sp.Basic) -> bool:
        return isinstance(node, ElementwiseApplyFunction) and node.expr in (z, PRE_ACTIVATION)

    def rewritten(node: ElementwiseApplyFunction) -> sp.MatrixExpr:
        polynomial = _as_polynomial_in_a_next(node)
        return node if polynomial is None else polynomial

    return expr.replace(is_activation, rewritten)


@cache
def closed_cell_gradients() -> dict[str, sp.MatrixExpr]:
    """The derived gradients written in a_next: what the oracle lambdifies (cached)."""
    return {name: activation_in_a_next(g) for name, g in derived_cell_gradients().items()}


def _is_zero(residual: sp.Basic) -> bool:
    return isinstance(residual, ZeroMatrix) or residual == 0


def prove_cell_formula(name: str) -> Verdict:
    """Prove documented formula ``name`` equal to SymPy's derivative, or say why not."""
    start = time.perf_counter()
    subject = f"{documented.EQUATION_NUMBER[name]} {name}"
    derived = closed_cell_gradients()[name]
    formula = documented.CELL_FORMULAS[name]
    claimed = formula.xreplace({dz: closed_cell_gradients()["dz"]}) if name != "dz" else formula
    shown = {"derived": latex(derived), "documented": latex(formula)}

    def elapsed() -> float:
        return time.perf_counter() - start

    if derived.has(ElementwiseApplyFunction):
        why = "the derivative still contains an element-wise function the rewrite into a_next "
        why += f"does not handle: {derived}"
        return Verdict.failed(subject, METHOD, why, elapsed(), **shown)
    if tuple(claimed.shape) != tuple(derived.shape):
        why = f"shape mismatch: the documented formula is {claimed.shape[0]} × {claimed.shape[1]}, "
        why += f"the derivative is {derived.shape[0]} × {derived.shape[1]}"
        return Verdict.failed(subject, METHOD, why, elapsed(), **shown)
    try:
        residual = (derived - claimed).doit()
        if not _is_zero(residual):
            residual = residual.expand().doit()
    except (sp.ShapeError, TypeError, ValueError) as error:
        why = f"SymPy could not form derived − documented: {type(error).__name__}: {error}"
        return Verdict.failed(subject, METHOD, why, elapsed(), **shown)
    if _is_zero(residual):
        return Verdict(subject, METHOD, True, PROVEN, elapsed(), **shown)
    why = f"derived − documented = ${latex(residual)}$ does not reduce to the zero matrix"
    return Verdict.failed(subject, METHOD, why, elapsed(), **shown)


def prove_cell_formulas() -> list[Verdict]:
    """All of (0)–(5), in the document's order."""
    return [prove_cell_formula(name) for name in documented.CELL_FORMULAS]


def softmax_matrix_level_attempts() -> list[str]:
    """Try the softmax gradients at matrix level and report what SymPy does (it fails in 1.14).

    Kept live rather than asserted, so a SymPy that learns these derivatives shows up here.
    """
    from rnnspec.symbolic.equations import CROSS_ENTROPY, softmax, u

    notes = []
    for label, attempt in (
        ("∂CE/∂u", lambda: CROSS_ENTROPY.diff(u)),
        ("∂softmax(u)/∂u", lambda: softmax(u).diff(u)),
    ):
        try:
            result = attempt()
        except Exception as error:  # noqa: BLE001 - any SymPy failure is the finding
            notes.append(f"{label}: SymPy raised {type(error).__name__}, so element-wise only")
        else:
            notes.append(f"{label}: SymPy returned {result} (not used; proven element-wise)")
    return notes
