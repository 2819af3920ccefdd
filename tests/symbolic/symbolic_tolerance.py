"""The one tolerance of the symbolic tests, and why it is what it is.

Two float64 computations of the same quantity differ by at most the sum of their rounding errors.
For a result built from sums and products, first-order error analysis bounds each one by

    |computed − exact| ≤ k · eps · M,

where M is the same quantity recomputed with the absolute value of every term (so cancellation
cannot hide error) and k is the number of rounded operations on the longest path to the entry.
The functions below compute M for each oracle; forward rounding that re-enters the backward pass
through 1 − a² is included (the 2|a|·M_a term).

C = 64 = 2 sides × k ≤ 32. For the shapes these tests draw (n_x, n_a, n_y, m ≤ 3, T_x ≤ 3) the
longest path has at most T_x·(n_a + 4) = 21 roundings in the backward chain (a², 1 − a², ∘da,
+carry, a length-n_a dot) plus n_x + n_a + 3 = 9 in the forward value that enters it (a dot of
length n_x + n_a + 1, the bias, tanh): 30 ≤ 32. Widening the shapes means revisiting C here.

Measured on these shapes (150 seeds each, weights of scale 1 and 3): the largest error seen was
1.1 eps·M (complex step vs oracle), 0.8 eps·M (oracle vs mpmath), 0.2 eps·M (oracle vs reference).
The bound is a worst case; the headroom is what lets it hold on every platform's libm.
"""

from __future__ import annotations

import numpy as np
from rnnspec.symbolic.through_time import backward_through_time

C = 64
EPS = np.finfo(np.float64).eps
FLOOR = C * np.nextafter(0.0, 1.0)  # results that underflow are compared at subnormal spacing


def bound(magnitude: np.ndarray) -> np.ndarray:
    return C * EPS * magnitude + FLOOR


def assert_close(label: str, actual, expected, magnitude, reproduce: str = "") -> None:
    """Fail with what differs, where, by how much against the bound, and how to reproduce."""
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.shape == expected.shape, f"{label}: shape {actual.shape} != {expected.shape}"
    assert actual.dtype == np.float64, f"{label}: dtype {actual.dtype}, expected float64"
    error = np.abs(actual - expected)
    allowed = bound(np.broadcast_to(magnitude, expected.shape))
    bad = ~(error <= allowed)
    if bad.any():
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        raise AssertionError(
            f"{label}: {int(bad.sum())} of {bad.size} entries differ by more than C·eps·M "
            f"(C = {C}); first at {index}: actual {actual[index]!r}, expected {expected[index]!r}, "
            f"error {error[index]:.3e} > bound {allowed[index]:.3e} "
            f"({error[index] / (EPS * np.asarray(magnitude)[index] + 1e-300):.1f} eps·M). "
            f"{reproduce}"
        )


def ratio(actual, expected, magnitude) -> float:
    """The largest error in units of eps·M (for reporting how much of C is used)."""
    scale = EPS * np.asarray(magnitude) + 1e-300
    return float(np.max(np.abs(np.asarray(actual) - np.asarray(expected)) / scale))


def forward_magnitudes(x, a0, p, a) -> list[np.ndarray]:
    """M_a⟨t⟩ = |a⟨t⟩| + (1 − a⟨t⟩²)(|Wax||x⟨t⟩| + |Waa| M_a⟨t−1⟩ + |ba|), with M_a⟨0⟩ = |a0|."""
    magnitudes, previous = [], np.abs(a0)
    for t in range(x.shape[2]):
        pre = np.abs(p["Wax"]) @ np.abs(x[:, :, t]) + np.abs(p["Waa"]) @ previous + np.abs(p["ba"])
        previous = np.abs(a[:, :, t]) + (1 - a[:, :, t] ** 2) * pre
        magnitudes.append(previous)
    return magnitudes


def output_magnitude(p, a_t, m_a_t, y_t) -> np.ndarray:
    """M_ŷ = ŷ ∘ (1 + |u − max u| + 2·max M_u) per column: softmax error is relative to ŷ."""
    u = p["Wya"] @ a_t + p["by"]
    m_u = np.abs(p["Wya"]) @ m_a_t + np.abs(p["by"])
    return y_t * (1 + np.abs(u - u.max(axis=0)) + 2 * m_u.max(axis=0))


def cell_backward_magnitudes(da_next, xt, a_prev, a_next, p, m_a_next=None, m_a_prev=None):
    """M of (0)–(5); with forward magnitudes given, the forward error re-entering via 1 − a²."""
    m_a_prev = np.abs(a_prev) if m_a_prev is None else m_a_prev
    slope = 1 + a_next**2
    if m_a_next is not None:
        slope = slope + 2 * np.abs(a_next) * m_a_next
    m_dz = np.abs(da_next) * slope
    return {
        "dxt": np.abs(p["Wax"]).T @ m_dz,
        "da_prev": np.abs(p["Waa"]).T @ m_dz,
        "dWax": m_dz @ np.abs(xt).T,
        "dWaa": m_dz @ m_a_prev.T,
        "dba": m_dz.sum(axis=1, keepdims=True),
    }


def rnn_backward_magnitudes(da, x, a0, p, a) -> dict[str, np.ndarray]:
    """M of dx, da0, dWax, dWaa, dba: the through-time rule run on the magnitudes themselves."""
    m_a = forward_magnitudes(x, a0, p, a)

    def cell(t, m_da_next):
        previous = a0 if t == 0 else a[:, :, t - 1]
        m_previous = np.abs(a0) if t == 0 else m_a[t - 1]
        return cell_backward_magnitudes(
            m_da_next, x[:, :, t], previous, a[:, :, t], p, m_a[t], m_previous
        )

    steps = [np.abs(da[:, :, t]) for t in range(da.shape[2])]
    result = backward_through_time(cell, steps, np.zeros(a0.shape))
    result["dx"] = np.stack(result["dx"], axis=2)
    return result
