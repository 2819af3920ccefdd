"""A clean, vectorized, correct GRU in the convention of GRU.md.

``gru_cell_forward`` returns ``(a_next, yt_pred, cache)`` with the 7-element cache
``(a_next, a_prev, zt, rt, hct, xt, parameters)``; ``gru_forward`` returns ``(a, y, (caches, x))``;
the backward functions return the dicts of GRU.md. a_next = (1 − zt) * a_prev + zt * hct.

Dtype rule: every array argument is converted to float64 and every returned array is float64.
Validation: a wrong shape or a missing parameter raises ``ValueError`` naming the argument, the
expected shape and the actual one, before any arithmetic happens.
"""

from __future__ import annotations

import numpy as np

GATES = ("z", "r", "h")
CELL_PARAMETERS = ("Wz", "bz", "Wr", "br", "Wh", "bh", "Wy", "by")
BACKWARD_PARAMETERS = ("Wz", "bz", "Wr", "br", "Wh", "bh")


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
    for g in GATES:
        _expect_shape(f"parameters['W{g}']", out[f"W{g}"], (n_a, n_a + n_x), "(n_a, n_a + n_x)")
        _expect_shape(f"parameters['b{g}']", out[f"b{g}"], (n_a, 1), "(n_a, 1)")
    if "Wy" in out:
        n_y = out["Wy"].shape[0]
        _expect_shape("parameters['Wy']", out["Wy"], (n_y, n_a), "(n_y, n_a)")
        _expect_shape("parameters['by']", out["by"], (n_y, 1), "(n_y, 1)")
    return out


def sigmoid(x):
    """σ(x) = 1 / (1 + e^−x) without overflow: the exponent is never positive."""
    x = np.asarray(x, dtype=np.float64)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def softmax(x):
    """Column-wise softmax (over axis 0), each column shifted by its own maximum."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 0:
        raise ValueError("x: expected at least one dimension, got a scalar")
    shifted = np.exp(x - np.max(x, axis=0, keepdims=True))
    return shifted / np.sum(shifted, axis=0, keepdims=True)


def gru_cell_forward(xt, a_prev, parameters):
    """One step: update and reset gates on [a_prev; xt], the candidate on [rt * a_prev; xt]."""
    xt = _as_float64("xt", xt, 2)
    a_prev = _as_float64("a_prev", a_prev, 2)
    (n_x, m), n_a = xt.shape, a_prev.shape[0]
    _expect_shape("a_prev", a_prev, (n_a, m), "(n_a, m)")
    p = _parameters(parameters, CELL_PARAMETERS, n_a, n_x)
    concat = np.concatenate([a_prev, xt], axis=0)
    zt = sigmoid(p["Wz"] @ concat + p["bz"])
    rt = sigmoid(p["Wr"] @ concat + p["br"])
    hct = np.tanh(p["Wh"] @ np.concatenate([rt * a_prev, xt], axis=0) + p["bh"])
    a_next = (1.0 - zt) * a_prev + zt * hct
    yt_pred = softmax(p["Wy"] @ a_next + p["by"])
    return a_next, yt_pred, (a_next, a_prev, zt, rt, hct, xt, parameters)


def gru_forward(x, a0, parameters):
    """All T_x steps from a0; returns (a, y, (caches, x))."""
    x = _as_float64("x", x, 3)
    a0 = _as_float64("a0", a0, 2)
    (n_x, m, T_x), n_a = x.shape, a0.shape[0]
    _expect_shape("a0", a0, (n_a, m), "(n_a, m)")
    n_y = _parameters(parameters, CELL_PARAMETERS, n_a, n_x)["Wy"].shape[0]
    a = np.zeros((n_a, m, T_x))
    y = np.zeros((n_y, m, T_x))
    caches = []
    a_next = a0
    for t in range(T_x):
        a_next, yt, cache = gru_cell_forward(x[:, :, t], a_next, parameters)
        a[:, :, t] = a_next
        y[:, :, t] = yt
        caches.append(cache)
    return a, y, (caches, x)


def gru_cell_backward(da_next, cache):
    """Gradients of ⟨da_next, a_next⟩, equations (6)-(17) of GRU.md."""
    if not isinstance(cache, tuple) or len(cache) != 7:
        raise ValueError("cache: expected the 7-tuple (a_next, a_prev, zt, rt, hct, xt, "
                         "parameters)")
    _, a_prev, zt, rt, hct, xt, parameters = cache
    xt = _as_float64("cache xt", xt, 2)
    a_prev = _as_float64("cache a_prev", a_prev, 2)
    (n_x, m), n_a = xt.shape, a_prev.shape[0]
    arrays = {}
    for name, value in (("zt", zt), ("rt", rt), ("hct", hct)):
        arrays[name] = _as_float64(f"cache {name}", value, 2)
        _expect_shape(f"cache {name}", arrays[name], (n_a, m), "(n_a, m)")
    da_next = _as_float64("da_next", da_next, 2)
    _expect_shape("da_next", da_next, (n_a, m), "(n_a, m)")
    p = _parameters(parameters, BACKWARD_PARAMETERS, n_a, n_x)
    zt, rt, hct = arrays["zt"], arrays["rt"], arrays["hct"]
    concat = np.concatenate([a_prev, xt], axis=0)
    concat_r = np.concatenate([rt * a_prev, xt], axis=0)
    dhct = da_next * zt * (1.0 - hct**2)
    dzt = da_next * (hct - a_prev) * zt * (1.0 - zt)
    dconcat_r = p["Wh"].T @ dhct
    dra = dconcat_r[:n_a]
    drt = dra * a_prev * rt * (1.0 - rt)
    dconcat = p["Wz"].T @ dzt + p["Wr"].T @ drt
    return {
        "dxt": dconcat[n_a:] + dconcat_r[n_a:],
        "da_prev": da_next * (1.0 - zt) + dra * rt + dconcat[:n_a],
        "dWz": dzt @ concat.T,
        "dbz": np.sum(dzt, axis=1, keepdims=True),
        "dWr": drt @ concat.T,
        "dbr": np.sum(drt, axis=1, keepdims=True),
        "dWh": dhct @ concat_r.T,
        "dbh": np.sum(dhct, axis=1, keepdims=True),
    }


def gru_backward(da, caches):
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
    sums = {f"{d}{g}": np.zeros((n_a, n_a + n_x) if d == "dW" else (n_a, 1))
            for g in GATES for d in ("dW", "db")}
    da_prev = np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        step = gru_cell_backward(da[:, :, t] + da_prev, cell_caches[t])
        dx[:, :, t] = step["dxt"]
        for name in sums:
            sums[name] = sums[name] + step[name]
        da_prev = step["da_prev"]
    return {"dx": dx, "da0": da_prev, **sums}
