"""A clean, vectorized, correct vanilla RNN in the seed notebook's convention.

Convention (see EQUATIONS.md): ``rnn_cell_forward`` returns ``(yt_pred, cache)`` with the cell cache
``(a_prev, a_next, xt, parameters)``; ``rnn_forward`` returns ``(a, y_pred, (caches, x))``.

Dtype rule: every array argument is converted to float64 and every returned array is float64,
whatever floating dtype came in. Computing at a lower precision than the inputs is what the
documented contract forbids; computing at float64 always is the simplest way to keep it.

Validation: a wrong shape or a missing parameter raises ``ValueError`` naming the argument, the
expected shape and the actual one, before any arithmetic happens.
"""

from __future__ import annotations

import numpy as np

CELL_PARAMETERS = ("Wax", "Waa", "Wya", "ba", "by")
BACKWARD_PARAMETERS = ("Wax", "Waa")


def _as_float64(name: str, value, ndim: int) -> np.ndarray:
    """Convert ``value`` to a float64 array of ``ndim`` dimensions or say what is wrong with it."""
    if not isinstance(value, (np.ndarray, np.generic, list, tuple, int, float)):
        raise ValueError(f"{name}: expected a NumPy array, got {type(value).__name__}")
    array = np.asarray(value)
    if not (np.issubdtype(array.dtype, np.floating) or np.issubdtype(array.dtype, np.integer)):
        raise ValueError(f"{name}: expected a real array, got dtype {array.dtype}")
    if array.ndim != ndim:
        raise ValueError(f"{name}: expected {ndim} dimensions, got shape {array.shape}")
    return array.astype(np.float64, copy=False)


def _expect_shape(name: str, array: np.ndarray, expected: tuple, symbols: str) -> None:
    if array.shape != expected:
        raise ValueError(f"{name}: expected shape {symbols} = {expected}, got {array.shape}")


def _parameters(parameters, names, n_a: int, n_x: int) -> dict:
    """The named parameters as float64 arrays, each checked against the sizes it must have."""
    if not isinstance(parameters, dict):
        raise ValueError(f"parameters: expected a dict, got {type(parameters).__name__}")
    missing = [name for name in names if name not in parameters]
    if missing:
        raise ValueError(f"parameters: missing {', '.join(map(repr, missing))}")
    out = {name: _as_float64(f"parameters[{name!r}]", parameters[name], 2) for name in names}
    _expect_shape("parameters['Wax']", out["Wax"], (n_a, n_x), "(n_a, n_x)")
    _expect_shape("parameters['Waa']", out["Waa"], (n_a, n_a), "(n_a, n_a)")
    if "ba" in out:
        _expect_shape("parameters['ba']", out["ba"], (n_a, 1), "(n_a, 1)")
    if "Wya" in out:
        n_y = out["Wya"].shape[0]
        _expect_shape("parameters['Wya']", out["Wya"], (n_y, n_a), "(n_y, n_a)")
        _expect_shape("parameters['by']", out["by"], (n_y, 1), "(n_y, 1)")
    return out


def softmax(x):
    """Column-wise softmax (over axis 0), stable for any finite logits.

    Subtracting each column's own maximum keeps every exponent ≤ 0, so nothing overflows and the
    largest term of each column is exactly 1, so no column sums to zero.
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 0:
        raise ValueError("x: expected at least one dimension, got a scalar")
    shifted = np.exp(x - np.max(x, axis=0, keepdims=True))
    return shifted / np.sum(shifted, axis=0, keepdims=True)


def rnn_cell_forward(xt, a_prev, parameters):
    """One time step: ``a_next = tanh(Wax xt + Waa a_prev + ba)``,
    ``yt_pred = softmax(Wya a_next + by)``."""
    xt = _as_float64("xt", xt, 2)
    a_prev = _as_float64("a_prev", a_prev, 2)
    (n_x, m), n_a = xt.shape, a_prev.shape[0]
    _expect_shape("a_prev", a_prev, (n_a, m), "(n_a, m)")
    p = _parameters(parameters, CELL_PARAMETERS, n_a, n_x)
    a_next = np.tanh(p["Wax"] @ xt + p["Waa"] @ a_prev + p["ba"])
    yt_pred = softmax(p["Wya"] @ a_next + p["by"])
    return yt_pred, (a_prev, a_next, xt, parameters)


def rnn_forward(x, a0, parameters):
    """All T_x steps; the state of step t feeds step t+1, starting from ``a0``."""
    x = _as_float64("x", x, 3)
    a0 = _as_float64("a0", a0, 2)
    (n_x, m, T_x), n_a = x.shape, a0.shape[0]
    _expect_shape("a0", a0, (n_a, m), "(n_a, m)")
    n_y = _parameters(parameters, CELL_PARAMETERS, n_a, n_x)["Wya"].shape[0]
    a = np.zeros((n_a, m, T_x))
    y_pred = np.zeros((n_y, m, T_x))
    caches = []
    a_prev = a0
    for t in range(T_x):
        yt_pred, cache = rnn_cell_forward(x[:, :, t], a_prev, parameters)
        a_prev = cache[1]
        a[:, :, t] = a_prev
        y_pred[:, :, t] = yt_pred
        caches.append(cache)
    return a, y_pred, (caches, x)


def rnn_cell_backward(da_next, cache):
    """Gradients of ⟨da_next, a_next⟩ for one step, equations (0)–(5) of EQUATIONS.md."""
    if not isinstance(cache, tuple) or len(cache) != 4:
        raise ValueError("cache: expected the tuple (a_prev, a_next, xt, parameters)")
    a_prev, a_next, xt, parameters = cache
    xt = _as_float64("cache xt", xt, 2)
    a_prev = _as_float64("cache a_prev", a_prev, 2)
    a_next = _as_float64("cache a_next", a_next, 2)
    da_next = _as_float64("da_next", da_next, 2)
    (n_x, m), n_a = xt.shape, a_prev.shape[0]
    _expect_shape("cache a_next", a_next, (n_a, m), "(n_a, m)")
    _expect_shape("da_next", da_next, (n_a, m), "(n_a, m)")
    p = _parameters(parameters, BACKWARD_PARAMETERS, n_a, n_x)
    dz = da_next * (1.0 - a_next**2)
    return {
        "dxt": p["Wax"].T @ dz,
        "da_prev": p["Waa"].T @ dz,
        "dWax": dz @ xt.T,
        "dWaa": dz @ a_prev.T,
        "dba": np.sum(dz, axis=1, keepdims=True),
    }


def rnn_backward(da, caches):
    """Gradients of L = Σₜ ⟨da[:, :, t], a⟨t⟩⟩: each step receives da[:, :, t] plus the carry."""
    if not isinstance(caches, tuple) or len(caches) != 2:
        raise ValueError("caches: expected the tuple (list of cell caches, x)")
    cell_caches, x = caches
    x = _as_float64("caches x", x, 3)
    da = _as_float64("da", da, 3)
    n_x, m, T_x = x.shape
    if len(cell_caches) != T_x:
        raise ValueError(f"caches: expected T_x = {T_x} cell caches, got {len(cell_caches)}")
    n_a = da.shape[0]
    _expect_shape("da", da, (n_a, m, T_x), "(n_a, m, T_x)")
    dx = np.zeros((n_x, m, T_x))
    dWax = np.zeros((n_a, n_x))
    dWaa = np.zeros((n_a, n_a))
    dba = np.zeros((n_a, 1))
    da_prev = np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        step = rnn_cell_backward(da[:, :, t] + da_prev, cell_caches[t])
        dx[:, :, t] = step["dxt"]
        dWax += step["dWax"]
        dWaa += step["dWaa"]
        dba += step["dba"]
        da_prev = step["da_prev"]
    return {"dx": dx, "da0": da_prev, "dWax": dWax, "dWaa": dWaa, "dba": dba}
