"""The documented closed forms, as data: the one place the suite states what the gradients are.

``CELL_FORMULAS`` holds formulas (0)–(5) of EQUATIONS.md as SymPy matrix expressions. The proofs
read this dict at call time, so a test can swap one entry for a wrong formula and watch the audit
name it. Formulas (1)–(5) are written in ``dz`` exactly as the document writes them; the proofs
substitute for ``dz`` the *derived* ∂L/∂z, so each formula is judged on its own and an error in (0)
is reported once, at (0).

``WITH_RESPECT_TO`` says which variable each formula is the gradient of: the statement "dWax is
∂L/∂Wax" is part of the documentation too.
"""

from __future__ import annotations

from rnnspec.symbolic.equations import (
    Waa,
    Wax,
    a_next,
    a_prev,
    ba,
    da_next,
    dz,
    m,
    n_a,
    xt,
    y,
    yhat,
    yhat_column,
    z,
)
from sympy import HadamardProduct, OneMatrix
from sympy.matrices.expressions.diagonal import DiagMatrix

CELL_FORMULAS = {
    "dz": HadamardProduct(da_next, OneMatrix(n_a, m) - HadamardProduct(a_next, a_next)),
    "dWax": dz * xt.T,
    "dWaa": dz * a_prev.T,
    "dba": dz * OneMatrix(m, 1),
    "dxt": Wax.T * dz,
    "da_prev": Waa.T * dz,
}

EQUATION_NUMBER = {
    "dz": "(0)",
    "dWax": "(1)",
    "dWaa": "(2)",
    "dba": "(3)",
    "dxt": "(4)",
    "da_prev": "(5)",
}

WITH_RESPECT_TO = {"dz": z, "dWax": Wax, "dWaa": Waa, "dba": ba, "dxt": xt, "da_prev": a_prev}

# Not in EQUATIONS.md's numbered list but used by the output layer and by the suite's reasoning:
# the softmax Jacobian of one column, and the gradient of softmax + cross-entropy w.r.t. logits
# (valid only when each column of y sums to 1).
SOFTMAX_FORMULAS = {
    "jacobian": DiagMatrix(yhat_column) - yhat_column * yhat_column.T,
    "cross_entropy": yhat - y,
}
