"""Every tolerance the suite uses, derived here and nowhere else.

A comparison passes when ``|actual − expected| ≤ C · eps · M`` entry by entry, where ``M`` is the
quantity itself recomputed with the absolute value of every term (the classical running error
bound: a sum's rounding error is at most a few eps times the sum of the absolute values of its
terms; a product's relative errors add). ``M`` is large exactly where cancellation makes a value
fragile and small where the value is well determined, so one constant serves every magnitude: near
zero weights (where a missing (1 − a²) hides inside any fixed relative tolerance) as well as at
tanh saturation (where fixed tolerances raise false alarms).

C = 64 is justified by measurement, not by a proof. The first-order worst case grows with the
inner lengths and the number of time steps (a dot product of length K errs by up to K·eps·Σ|terms|,
and the through-time rule compounds that once per step), so for n_a = T_x = 8 a pathological
rounding pattern could exceed 64 on paper; random rounding errors add like a random walk instead.
`benchmarks/bench_tolerance.py` measures the largest |error| / (eps · M) of the
reference and the seven correct variants on 300 random cases each: 1.46 (einsum's dWaa), so the
bound has a 44× margin, while every value bug of the mutant corpus exceeds it by 139× or more even
on its shrunk, least revealing example (`benchmarks/bench_verdicts.py`). Where a
comparison fails by less than twice the bound, so that the float oracle's own rounding could be the
cause, it settles with the arbitrary-precision oracle instead of loosening (`compare.py`).

Dtypes. ``eps`` is that of the least precise dtype the output may legitimately be computed at
(``Case.precision``, the rule of EQUATIONS.md): float64 for the documented contract; float32 for
every output when the inputs are float32, and for a gradient whose primal is float32 (dx, da0 with
float32 data and float64 parameters). M is the same in every dtype: it bounds the rounding of each
operation relative to its operands, whatever the unit roundoff. The floor below which rounding is
absolute is that dtype's too.

Two outputs of the implementation. A law that compares two results of the implementation (one
column alone against the batch, T₁ + T₂ steps against T₁ then T₂) allows the rounding of both
sides, 2·M, since neither side is exact.

A derivative recomputed from z. A correct backward may take tanh'(z) from z recomputed from the
cache (1/cosh²(z)) rather than from the cached a: its z then carries the rounding of the sum
Wax xt + Waa a_prev + ba, up to eps·M_z with M_z = |Wax||xt| + |Waa||a_prev| + |ba|, which tanh'
turns into an error of |tanh''(z)|·eps·M_z = 2|a|(1 − a²)·eps·M_z in the derivative. The bound of
dz includes that term (it vanishes where tanh is linear, a ≈ 0, and where it saturates, a² ≈ 1).

One bound lives elsewhere: the softmax column-sum contract derives its own (2·n_y·eps, in
`spec/contracts.py`), because the contracts must not depend on the properties.
"""

from __future__ import annotations

import numpy as np

EPS = float(np.finfo(np.float64).eps)
C = 64.0
# Below the smallest normal number rounding is absolute, not relative: never ask for less.
FLOOR = C * float(np.finfo(np.float64).tiny)


def eps_of(dtype=np.float64) -> float:
    """The machine epsilon of ``dtype`` (float64's for a non-floating one: never ask for less)."""
    dtype = np.dtype(dtype)
    return float(np.finfo(dtype).eps) if dtype.kind == "f" else EPS


def tolerance(M: np.ndarray, dtype=np.float64) -> np.ndarray:
    """The allowed absolute error for each entry whose absolute-value recomputation is ``M``, for
    an output that may be computed in ``dtype``."""
    dtype = np.dtype(dtype) if np.dtype(dtype).kind == "f" else np.dtype(np.float64)
    return C * eps_of(dtype) * np.asarray(M, dtype=np.float64) + C * float(np.finfo(dtype).tiny)


# --- forward ------------------------------------------------------------------------------------

def cell_forward_bound(xt, a_prev, parameters, a_next, M_a_prev=None):
    """M for (a_next, yt_pred) of one cell, given the exact a_next and a_prev's own bound.

    z's terms in absolute value, plus a_prev's own error carried through |Waa|, give M_z; tanh
    shrinks an error in z by (1 − a²) and adds its own rounding |a|. The logits' bound M_u then
    feeds softmax, whose output error is relative:
    y_i · (|δu_i| + Σ_j y_j |δu_j|), plus a few roundings (exp, sum, divide) of size y_i · n_y.
    """
    p = {k: np.abs(np.asarray(v, dtype=np.float64)) for k, v in parameters.items()}
    a_prev = np.asarray(a_prev, dtype=np.float64)
    M_a_prev = np.zeros_like(a_prev) if M_a_prev is None else M_a_prev
    M_z = p["Wax"] @ np.abs(xt) + p["Waa"] @ (np.abs(a_prev) + M_a_prev) + p["ba"]
    M_a = (1.0 - a_next**2) * M_z + np.abs(a_next)
    M_u = p["Wya"] @ (np.abs(a_next) + M_a) + p["by"]
    return M_a, M_u


def softmax_bound(u: np.ndarray, y: np.ndarray, M_u=None) -> np.ndarray:
    """M for softmax(u) given its exact value y and the bound M_u of the logits' own error.

    Shifting by the column maximum rounds each exponent by eps·|u − max|, which exp turns into a
    relative error of the same size: logits of ±1e3 are allowed about 1e3 eps, not 1 eps.
    """
    u = np.real(u)
    M_shift = np.abs(u - np.max(u, axis=0, keepdims=True)) + np.abs(u)
    if M_u is not None:
        M_shift = M_shift + M_u
    n = u.shape[0]
    return y * (M_shift + np.sum(y * M_shift, axis=0, keepdims=True) + n + 2)


def sequence_forward_bound(x, a0, parameters, a):
    """M for (a, y_pred) of the whole sequence: the cell bound carried from step to step."""
    M_a = np.zeros_like(a)
    M_u = []
    M_prev = np.zeros_like(a0)
    a_prev = a0
    for t in range(x.shape[2]):
        M_a[:, :, t], M_u_t = cell_forward_bound(x[:, :, t], a_prev, parameters, a[:, :, t], M_prev)
        M_u.append(M_u_t)
        M_prev, a_prev = M_a[:, :, t], a[:, :, t]
    return M_a, np.stack(M_u, axis=2)


# --- backward -----------------------------------------------------------------------------------

def cell_backward_bound(da_next, xt, a_prev, a_next, parameters) -> dict:
    """M for each cell gradient: equations (0)–(5) with every term in absolute value.

    (1 − a²) becomes (1 + a²): its two terms' magnitudes add, and a rounding of a of size eps·|a|
    changes a² by 2·eps·a², which (1 + a²) covers. 2|a|(1 − a²)·M_z is the derivative recomputed
    from z (the module's docstring).
    """
    p = {k: np.abs(np.asarray(parameters[k], dtype=np.float64)) for k in ("Wax", "Waa", "ba")}
    M_z = p["Wax"] @ np.abs(xt) + p["Waa"] @ np.abs(a_prev) + p["ba"]
    a_next = np.asarray(a_next, dtype=np.float64)
    M_dz = np.abs(da_next) * (1.0 + a_next**2 + 2.0 * np.abs(a_next) * (1.0 - a_next**2) * M_z)
    return {"dz": M_dz,
            "dxt": np.abs(parameters["Wax"]).T @ M_dz,
            "da_prev": np.abs(parameters["Waa"]).T @ M_dz,
            "dWax": M_dz @ np.abs(xt).T,
            "dWaa": M_dz @ np.abs(a_prev).T,
            "dba": np.sum(M_dz, axis=1, keepdims=True)}


def sequence_backward_bound(da, x, a0, a, parameters) -> dict:
    """M for each sequence gradient: the through-time rule run on the cell bounds.

    The carried gradient's own bound rides along with it, as the carry does in the rule itself.
    """
    n_a, m, T_x = da.shape
    M = {"dx": np.zeros(x.shape), "dWax": np.zeros((n_a, x.shape[0])),
         "dWaa": np.zeros((n_a, n_a)), "dba": np.zeros((n_a, 1))}
    carry = np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        a_prev = a[:, :, t - 1] if t > 0 else a0
        step = cell_backward_bound(np.abs(da[:, :, t]) + carry, x[:, :, t], a_prev, a[:, :, t],
                                   parameters)
        M["dx"][:, :, t] = step["dxt"]
        for key in ("dWax", "dWaa", "dba"):
            M[key] = M[key] + step[key]
        carry = step["da_prev"]
    M["da0"] = carry
    return M


def inner_product_bound(M_g: dict, directions: dict, eps: dict | None = None) -> float:
    """The allowed error of ⟨g, v⟩ given per-entry bounds of g: Σ |v|·(M_g + |g|·K eps) folds into
    C·eps·Σ |v|·M_g, each gradient with the eps of its own dtype (``eps``, float64's if not given).
    """
    eps = eps or {}
    return float(sum(C * eps.get(k, EPS) * np.sum(np.abs(directions[k]) * M_g[k])
                     for k in directions))
