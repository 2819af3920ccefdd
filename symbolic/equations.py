"""The forward equations of EQUATIONS.md, written once, in SymPy matrix form.

Everything else derives from these objects: the matrix-level proofs differentiate them as they are
(dimension-free, MatrixSymbols of symbolic sizes), the element-wise proofs instantiate the very same
expressions at small concrete sizes (``symbolic.explicit``), and the NumPy oracle is their
``lambdify``. Writing them once is what makes "the oracle is the documented forward" checkable.

Names follow EQUATIONS.md: ``z = Wax x + Waa a_prev + ba``, ``a_next = tanh(z)``,
``ŷ = softmax(Wya a_next + by)``. The bias ``ba`` is an (n_a, 1) column broadcast over the batch,
written ``ba · 1_{1×m}`` so that matrix calculus sees the broadcast (its gradient is then
``dz · 1_{m×1}``, the sum over axis 1).
"""

from __future__ import annotations

import sympy as sp
from sympy import HadamardPower, HadamardProduct, MatrixSymbol, OneMatrix, Trace

n_x, n_a, n_y, m = sp.symbols("n_x n_a n_y m", integer=True, positive=True)
SIZES = (n_x, n_a, n_y, m)

Wax = MatrixSymbol("W_ax", n_a, n_x)
Waa = MatrixSymbol("W_aa", n_a, n_a)
Wya = MatrixSymbol("W_ya", n_y, n_a)
ba = MatrixSymbol("b_a", n_a, 1)
by = MatrixSymbol("b_y", n_y, 1)
xt = MatrixSymbol("x_t", n_x, m)
a_prev = MatrixSymbol("a_prev", n_a, m)
da_next = MatrixSymbol("da_next", n_a, m)

# Symbols that stand for cached or intermediate values in the documented closed forms.
a_next = MatrixSymbol("a_next", n_a, m)  # the cached tanh(z) the backward pass receives
z = MatrixSymbol("z", n_a, m)  # the pre-activation as an independent variable, for (0)
dz = MatrixSymbol("dz", n_a, m)  # ∂L/∂z, the quantity formulas (1)-(5) are written in
u = MatrixSymbol("u", n_y, m)  # softmax logits
y = MatrixSymbol("y", n_y, m)  # cross-entropy targets
yhat = MatrixSymbol("yhat", n_y, m)  # softmax output, as a symbol
yhat_column = MatrixSymbol("yhat", n_y, 1)  # one column, for the Jacobian

PRE_ACTIVATION = Wax * xt + Waa * a_prev + ba * OneMatrix(1, m)
STATE = PRE_ACTIVATION.applyfunc(sp.tanh)


def softmax(logits: sp.MatrixExpr) -> sp.MatrixExpr:
    """Column-wise softmax as a matrix expression: exp(u) ∘ (1_{n×n} exp(u))^{∘-1}.

    The all-ones product sums each column and repeats the sum on every row, so the Hadamard
    quotient divides every entry by its own column's sum. No max-shift: this is the definition;
    the shift of the numeric oracle is proven harmless element-wise (``elementwise_proof``).
    """
    rows = logits.shape[0]
    exps = logits.applyfunc(sp.exp)
    return HadamardProduct(exps, HadamardPower(OneMatrix(rows, rows) * exps, -1))


LOGITS = Wya * a_next + by * OneMatrix(1, m)
OUTPUT = softmax(LOGITS)


def inner(left: sp.MatrixExpr, right: sp.MatrixExpr) -> sp.Expr:
    """The Frobenius inner product ⟨left, right⟩ = tr(leftᵀ right), a scalar SymPy expression."""
    return Trace(left.T * right)


# L = ⟨da_next, a_next⟩: the scalar whose gradients rnn_cell_backward documents.
CELL_LOSS = inner(da_next, STATE)
# The same loss seen as a function of the pre-activation, which is what (0) differentiates.
PRE_ACTIVATION_LOSS = inner(da_next, z.applyfunc(sp.tanh))
# Cross-entropy of the softmax of logits u against targets y (summed over the batch).
CROSS_ENTROPY = -inner(y, softmax(u).applyfunc(sp.log))


def sequence_symbols(steps: int) -> dict[str, list]:
    """Per-step MatrixSymbols of an unrolled sequence: inputs x⟨t⟩, upstream da⟨t⟩, and a0."""
    return {
        "x": [MatrixSymbol(f"x_{t}", n_x, m) for t in range(1, steps + 1)],
        "da": [MatrixSymbol(f"da_{t}", n_a, m) for t in range(1, steps + 1)],
        "a0": [MatrixSymbol("a_0", n_a, m)],
    }


def sequence_states(steps: int) -> list[sp.MatrixExpr]:
    """a⟨1⟩ … a⟨T⟩ as nested matrix expressions: each step is STATE with a_prev = a⟨t−1⟩."""
    symbols = sequence_symbols(steps)
    states, previous = [], symbols["a0"][0]
    for x_step in symbols["x"]:
        previous = STATE.xreplace({xt: x_step, a_prev: previous})
        states.append(previous)
    return states


def sequence_loss(steps: int) -> sp.Expr:
    """L = Σₜ ⟨da⟨t⟩, a⟨t⟩⟩ over the unrolled sequence: what rnn_backward must differentiate.

    SymPy 1.14's matrix calculus is unreliable across steps (MEASURED.md), so this expression is
    differentiated only after ``symbolic.explicit`` instantiates it at concrete sizes.
    """
    da = sequence_symbols(steps)["da"]
    return sp.Add(*[inner(d, a) for d, a in zip(da, sequence_states(steps))])
