"""Arbitrary-precision evaluation (mpmath) to settle disagreements near tanh saturation.

Near |z| ≈ 19 float64's ``1 − a²`` is pure cancellation (a rounds to ±1, so dz rounds to 0 while the
true value is ~1e-16·da). Two float64 implementations can then disagree by far more than their
own rounding, and only the exact value says which one is right. Here:

- every input is taken as the exact binary64 number it is;
- each pre-activation entry is one correctly rounded dot product (``fdot``), and ``1 − tanh²`` is
  computed as ``sech²``, which has no cancellation at all;
- the whole computation runs at 50 significant digits and again at 100; the float64 roundings of
  the two must agree (else the precision doubles, up to 800 digits), so the answer returned is the
  correctly rounded exact value, barring double rounding in the subnormal range.

Slow by design (pure-Python arithmetic): for small sizes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Callable

import mpmath
import numpy as np
from rnnspec.symbolic.through_time import backward_through_time

DIGITS = (50, 100, 200, 400, 800)


def _exact(ctx, array) -> Any:
    """A ctx.matrix holding the binary64 values of a 2-D array exactly."""
    values = np.asarray(array, dtype=np.float64)
    if values.ndim != 2:
        raise ValueError(f"expected a 2-D array, got shape {values.shape}")
    matrix = ctx.matrix(*values.shape)
    for (i, j), v in np.ndenumerate(values):
        matrix[i, j] = ctx.mpf(float(v))
    return matrix


def _steps(ctx, array) -> list:
    values = np.asarray(array, dtype=np.float64)
    if values.ndim != 3:
        raise ValueError(f"expected a 3-D array, got shape {values.shape}")
    return [_exact(ctx, values[:, :, t]) for t in range(values.shape[2])]


def _row(matrix, i: int) -> list:
    return [matrix[i, k] for k in range(matrix.cols)]


def _column(matrix, j: int) -> list:
    return [matrix[k, j] for k in range(matrix.rows)]


def _pre_activation(ctx, p: dict, xt, a_prev):
    """z = Wax xt + Waa a_prev + ba, each entry a single correctly rounded dot product."""
    rows, cols = p["Wax"].rows, xt.cols
    z = ctx.matrix(rows, cols)
    for i in range(rows):
        weights = _row(p["Wax"], i) + _row(p["Waa"], i) + [p["ba"][i, 0]]
        for j in range(cols):
            z[i, j] = ctx.fdot(weights, _column(xt, j) + _column(a_prev, j) + [1])
    return z


def _softmax(ctx, u):
    out = ctx.matrix(u.rows, u.cols)
    for j in range(u.cols):
        column = _column(u, j)
        top = max(column)
        exps = [ctx.exp(v - top) for v in column]
        total = ctx.fsum(exps)
        for i, e in enumerate(exps):
            out[i, j] = e / total
    return out


def _output(ctx, p: dict, a):
    logits = ctx.matrix(p["Wya"].rows, a.cols)
    for i in range(logits.rows):
        for j in range(logits.cols):
            logits[i, j] = ctx.fdot(_row(p["Wya"], i) + [p["by"][i, 0]], _column(a, j) + [1])
    return _softmax(ctx, logits)


def _cell_backward(ctx, p: dict, da_next, xt, a_prev, z) -> dict:
    """(0)–(5) with dz = da_next ∘ sech²(z): exact derivative of tanh, no 1 − a² cancellation."""
    dz = ctx.matrix(z.rows, z.cols)
    for i in range(z.rows):
        for j in range(z.cols):
            dz[i, j] = da_next[i, j] * ctx.sech(z[i, j]) ** 2
    return {
        "dxt": p["Wax"].T * dz,
        "da_prev": p["Waa"].T * dz,
        "dWax": dz * xt.T,
        "dWaa": dz * a_prev.T,
        "dba": ctx.matrix([[ctx.fsum(_row(dz, i))] for i in range(dz.rows)]),
    }


def _parameters(ctx, parameters: Mapping, names: tuple) -> dict:
    missing = [n for n in names if n not in parameters]
    if missing:
        raise ValueError(f"parameters: missing {missing}")
    return {n: _exact(ctx, parameters[n]) for n in names}


def _rounded(value: Any) -> Any:
    """float64 arrays from ctx matrices (each entry rounded to nearest), keeping the structure."""
    if hasattr(value, "rows") and hasattr(value, "cols"):  # a ctx.matrix (one class per context)
        rounded = [[float(value[i, j]) for j in range(value.cols)] for i in range(value.rows)]
        return np.array(rounded, dtype=np.float64).reshape(value.rows, value.cols)
    if isinstance(value, list):
        return np.stack([_rounded(v) for v in value], axis=2)
    if isinstance(value, tuple):
        return tuple(_rounded(v) for v in value)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    raise TypeError(f"cannot round {type(value).__name__}")


def _same(left: Any, right: Any) -> bool:
    if isinstance(left, dict):
        return all(_same(left[k], right[k]) for k in left)
    if isinstance(left, tuple):
        return all(_same(a, b) for a, b in zip(left, right))
    return bool(np.array_equal(left, right, equal_nan=True))


def _settled(compute: Callable[[Any], Any]) -> Any:
    """Evaluate at increasing precision until two successive float64 roundings agree."""
    previous = None
    for digits in DIGITS:
        ctx = mpmath.MPContext()
        ctx.dps = digits
        current = _rounded(compute(ctx))
        if previous is not None and _same(current, previous):
            return current
        previous = current
    raise ArithmeticError(f"float64 rounding did not settle at {DIGITS[-1]} digits")


def softmax(u) -> np.ndarray:
    """Column-wise softmax of the exact values of ``u``, correctly rounded."""
    return _settled(lambda ctx: _softmax(ctx, _exact(ctx, u)))


def cell_forward(xt, a_prev, parameters: Mapping) -> tuple[np.ndarray, np.ndarray]:
    """(a_next, yt_pred), each entry the correctly rounded exact value."""

    def compute(ctx):
        p = _parameters(ctx, parameters, ("Wax", "Waa", "ba", "Wya", "by"))
        z = _pre_activation(ctx, p, _exact(ctx, xt), _exact(ctx, a_prev))
        a = z.apply(ctx.tanh)
        return a, _output(ctx, p, a)

    return _settled(compute)


def cell_backward(da_next, xt, a_prev, parameters: Mapping) -> dict[str, np.ndarray]:
    """dxt, da_prev, dWax, dWaa, dba of ⟨da_next, a_next⟩, a_next recomputed exactly from inputs."""

    def compute(ctx):
        p = _parameters(ctx, parameters, ("Wax", "Waa", "ba"))
        x, a = _exact(ctx, xt), _exact(ctx, a_prev)
        return _cell_backward(ctx, p, _exact(ctx, da_next), x, a, _pre_activation(ctx, p, x, a))

    return _settled(compute)


def _forward(ctx, p: dict, xs: list, a0) -> tuple[list, list]:
    zs, states, previous = [], [], a0
    for xt in xs:
        zs.append(_pre_activation(ctx, p, xt, previous))
        previous = zs[-1].apply(ctx.tanh)
        states.append(previous)
    return zs, states


def rnn_forward(x, a0, parameters: Mapping) -> tuple[np.ndarray, np.ndarray]:
    """(a, y_pred) of the whole sequence, the states carried at full precision between steps."""

    def compute(ctx):
        p = _parameters(ctx, parameters, ("Wax", "Waa", "ba", "Wya", "by"))
        _, states = _forward(ctx, p, _steps(ctx, x), _exact(ctx, a0))
        return states, [_output(ctx, p, a) for a in states]

    return _settled(compute)


def rnn_backward(da, x, a0, parameters: Mapping) -> dict[str, np.ndarray]:
    """dx, da0, dWax, dWaa, dba of Σₜ ⟨da⟨t⟩, a⟨t⟩⟩ by the through-time rule, at full precision."""

    def compute(ctx):
        p = _parameters(ctx, parameters, ("Wax", "Waa", "ba"))
        xs, initial = _steps(ctx, x), _exact(ctx, a0)
        zs, states = _forward(ctx, p, xs, initial)
        previous = [initial, *states[:-1]]

        def cell(t: int, da_next):
            return _cell_backward(ctx, p, da_next, xs[t], previous[t], zs[t])

        return backward_through_time(cell, _steps(ctx, da), ctx.zeros(initial.rows, initial.cols))

    return _settled(compute)
