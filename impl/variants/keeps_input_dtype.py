"""A correct RNN that never converts: it computes in the dtype NumPy's promotion gives, as torch and
JAX do, so float32 inputs give float32 outputs computed in float32, and each gradient has the dtype
of its primal when that is floating (dx float32 for float32 x even with float64 parameters).

An integer one-hot x gets a floating dx: a gradient is real-valued whatever its primal's dtype.
EQUATIONS.md (Dtypes): float32 results accurate to float32 rounding conform.
Differs from the reference in: no widening to float64; outputs in the inputs' (promoted) dtype.
"""

import numpy as np


def _floating(*arrays):
    return np.result_type(np.float16, *arrays)  # the promoted dtype, at least floating


def softmax(x):
    shifted = np.exp(x - np.max(x, axis=0, keepdims=True))
    return shifted / np.sum(shifted, axis=0, keepdims=True)


def rnn_cell_forward(xt, a_prev, parameters):
    p = parameters
    a_next = np.tanh(p["Wax"] @ xt + p["Waa"] @ a_prev + p["ba"])
    yt_pred = softmax(p["Wya"] @ a_next + p["by"])
    return yt_pred, (a_prev, a_next, xt, parameters)


def rnn_forward(x, a0, parameters):
    n_x, m, T_x = x.shape
    n_a, n_y = a0.shape[0], parameters["Wya"].shape[0]
    dtype = _floating(x, a0, *parameters.values())
    a = np.zeros((n_a, m, T_x), dtype=dtype)
    y_pred = np.zeros((n_y, m, T_x), dtype=dtype)
    caches = []
    a_prev = a0
    for t in range(T_x):
        yt_pred, cache = rnn_cell_forward(x[:, :, t], a_prev, parameters)
        a_prev = cache[1]
        a[:, :, t], y_pred[:, :, t] = a_prev, yt_pred
        caches.append(cache)
    return a, y_pred, (caches, x)


def _like(primal, value):
    """``value`` in its primal's dtype when that is floating; a real dtype for an integer primal."""
    return value.astype(primal.dtype, copy=False) if primal.dtype.kind == "f" else value


def rnn_cell_backward(da_next, cache):
    a_prev, a_next, xt, parameters = cache
    Wax, Waa = parameters["Wax"], parameters["Waa"]
    dz = da_next * (1 - a_next**2)
    return {"dxt": _like(xt, Wax.T @ dz), "da_prev": _like(a_prev, Waa.T @ dz),
            "dWax": _like(Wax, dz @ xt.T), "dWaa": _like(Waa, dz @ a_prev.T),
            "dba": _like(parameters["ba"], np.sum(dz, axis=1, keepdims=True))}


def rnn_backward(da, caches):
    cell_caches, x = caches
    n_x, m, T_x = x.shape
    n_a = da.shape[0]
    a0, p = cell_caches[0][0], cell_caches[0][3]
    dx = np.zeros((n_x, m, T_x), dtype=x.dtype if x.dtype.kind == "f"
                  else _floating(da, p["Wax"]))
    dWax, dWaa = np.zeros_like(p["Wax"]), np.zeros_like(p["Waa"])
    dba = np.zeros_like(p["ba"])
    da_prev = np.zeros((n_a, m), dtype=_floating(da))
    for t in reversed(range(T_x)):
        step = rnn_cell_backward(da[:, :, t] + da_prev, cell_caches[t])
        dx[:, :, t] = step["dxt"]
        dWax += step["dWax"]
        dWaa += step["dWaa"]
        dba += step["dba"]
        da_prev = step["da_prev"]
    return {"dx": dx, "da0": _like(a0, da_prev), "dWax": dWax, "dWaa": dWaa, "dba": dba}
