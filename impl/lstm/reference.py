"""A clean, vectorized, correct LSTM in the course's convention (LSTM.md).

``lstm_cell_forward`` returns ``(a_next, c_next, yt_pred, cache)`` with the 10-element cache
``(a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)``; ``lstm_forward`` returns
``(a, y, c, (caches, x))``; the backward functions return the dicts of LSTM.md.

Dtype rule: every array argument is converted to float64 and every returned array is float64.
Validation: a wrong shape or a missing parameter raises ``ValueError`` naming the argument, the
expected shape and the actual one, before any arithmetic happens.
"""

from __future__ import annotations

import numpy as np

GATES = ("f", "i", "c", "o")
CELL_PARAMETERS = ("Wf", "bf", "Wi", "bi", "Wc", "bc", "Wo", "bo", "Wy", "by")
BACKWARD_PARAMETERS = ("Wf", "bf", "Wi", "bi", "Wc", "bc", "Wo", "bo")


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


def lstm_cell_forward(xt, a_prev, c_prev, parameters):
    """One step: the four gates on concat = [a_prev; xt], c_next, a_next, yt_pred."""
    xt = _as_float64("xt", xt, 2)
    a_prev = _as_float64("a_prev", a_prev, 2)
    c_prev = _as_float64("c_prev", c_prev, 2)
    (n_x, m), n_a = xt.shape, a_prev.shape[0]
    _expect_shape("a_prev", a_prev, (n_a, m), "(n_a, m)")
    _expect_shape("c_prev", c_prev, (n_a, m), "(n_a, m)")
    p = _parameters(parameters, CELL_PARAMETERS, n_a, n_x)
    concat = np.concatenate([a_prev, xt], axis=0)
    ft = sigmoid(p["Wf"] @ concat + p["bf"])
    it = sigmoid(p["Wi"] @ concat + p["bi"])
    cct = np.tanh(p["Wc"] @ concat + p["bc"])
    c_next = ft * c_prev + it * cct
    ot = sigmoid(p["Wo"] @ concat + p["bo"])
    a_next = ot * np.tanh(c_next)
    yt_pred = softmax(p["Wy"] @ a_next + p["by"])
    cache = (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)
    return a_next, c_next, yt_pred, cache


def lstm_forward(x, a0, parameters):
    """All T_x steps from a0 and c0 = 0; returns (a, y, c, (caches, x))."""
    x = _as_float64("x", x, 3)
    a0 = _as_float64("a0", a0, 2)
    (n_x, m, T_x), n_a = x.shape, a0.shape[0]
    _expect_shape("a0", a0, (n_a, m), "(n_a, m)")
    n_y = _parameters(parameters, CELL_PARAMETERS, n_a, n_x)["Wy"].shape[0]
    a = np.zeros((n_a, m, T_x))
    c = np.zeros((n_a, m, T_x))
    y = np.zeros((n_y, m, T_x))
    caches = []
    a_next, c_next = a0, np.zeros((n_a, m))
    for t in range(T_x):
        a_next, c_next, yt, cache = lstm_cell_forward(x[:, :, t], a_next, c_next, parameters)
        a[:, :, t] = a_next
        c[:, :, t] = c_next
        y[:, :, t] = yt
        caches.append(cache)
    return a, y, c, (caches, x)


def lstm_cell_backward(da_next, dc_next, cache):
    """Gradients of ⟨da_next, a_next⟩ + ⟨dc_next, c_next⟩, equations (7)-(21) of LSTM.md."""
    if not isinstance(cache, tuple) or len(cache) != 10:
        raise ValueError("cache: expected the 10-tuple (a_next, c_next, a_prev, c_prev, ft, it, "
                         "cct, ot, xt, parameters)")
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters = cache
    xt = _as_float64("cache xt", xt, 2)
    a_prev = _as_float64("cache a_prev", a_prev, 2)
    (n_x, m), n_a = xt.shape, a_prev.shape[0]
    arrays = {}
    for name, value in (("c_next", c_next), ("c_prev", c_prev), ("ft", ft), ("it", it),
                        ("cct", cct), ("ot", ot)):
        arrays[name] = _as_float64(f"cache {name}", value, 2)
        _expect_shape(f"cache {name}", arrays[name], (n_a, m), "(n_a, m)")
    da_next = _as_float64("da_next", da_next, 2)
    dc_next = _as_float64("dc_next", dc_next, 2)
    _expect_shape("da_next", da_next, (n_a, m), "(n_a, m)")
    _expect_shape("dc_next", dc_next, (n_a, m), "(n_a, m)")
    p = _parameters(parameters, BACKWARD_PARAMETERS, n_a, n_x)
    ft, it, cct, ot = arrays["ft"], arrays["it"], arrays["cct"], arrays["ot"]
    tau = np.tanh(arrays["c_next"])
    concat = np.concatenate([a_prev, xt], axis=0)
    dot = da_next * tau * ot * (1.0 - ot)
    dc = dc_next + da_next * ot * (1.0 - tau**2)
    dcct = dc * it * (1.0 - cct**2)
    dit = dc * cct * it * (1.0 - it)
    dft = dc * arrays["c_prev"] * ft * (1.0 - ft)
    gates = {"f": dft, "i": dit, "c": dcct, "o": dot}
    dconcat = sum(p[f"W{g}"].T @ dg for g, dg in gates.items())
    gradients = {"dxt": dconcat[n_a:], "da_prev": dconcat[:n_a], "dc_prev": dc * ft}
    for g, dg in gates.items():
        gradients[f"dW{g}"] = dg @ concat.T
        gradients[f"db{g}"] = np.sum(dg, axis=1, keepdims=True)
    return gradients


def lstm_backward(da, caches):
    """Gradients of L = Σₜ ⟨da[:, :, t], a⟨t⟩⟩; both da_prev and dc_prev are carried back."""
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
    dc_prev = np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        step = lstm_cell_backward(da[:, :, t] + da_prev, dc_prev, cell_caches[t])
        dx[:, :, t] = step["dxt"]
        for name in sums:
            sums[name] = sums[name] + step[name]
        da_prev, dc_prev = step["da_prev"], step["dc_prev"]
    return {"dx": dx, "da0": da_prev, **sums}
