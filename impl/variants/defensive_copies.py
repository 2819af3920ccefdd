"""A correct RNN that copies every array it receives and every array it returns or caches.

Nothing it returns aliases an argument or another output, and no later change by the caller (to
x, a0, the parameters dict or its arrays) can reach into a cache. The values are the reference's.
Differs from the reference in: memory only (copies of inputs, outputs and cache entries).
"""

# ruff: noqa: RUF059

import numpy as np
from variant import reference_in

reference_in(globals())


def _copy(array):
    return np.array(array, dtype=np.float64, copy=True)


def _copy_parameters(parameters):
    return {name: _copy(value) for name, value in parameters.items()}


def softmax(x):
    x = _copy(x)
    if x.ndim == 0:
        raise ValueError("x: expected at least one dimension, got a scalar")
    shifted = np.exp(x - np.max(x, axis=0, keepdims=True))
    return np.copy(shifted / np.sum(shifted, axis=0, keepdims=True))


def rnn_cell_forward(xt, a_prev, parameters):
    xt = _copy(xt)
    a_prev = _copy(a_prev)
    parameters = _copy_parameters(parameters)
    Wax, Waa, Wya = parameters["Wax"], parameters["Waa"], parameters["Wya"]
    ba, by = parameters["ba"], parameters["by"]
    a_next = np.tanh(np.dot(Wax, xt) + np.dot(Waa, a_prev) + ba)
    yt_pred = softmax(np.dot(Wya, a_next) + by)
    cache = (np.copy(a_prev), np.copy(a_next), np.copy(xt), _copy_parameters(parameters))
    return np.copy(yt_pred), cache


def rnn_forward(x, a0, parameters):
    x = _copy(x)
    a0 = _copy(a0)
    parameters = _copy_parameters(parameters)
    n_x, m, T_x = x.shape
    n_a = a0.shape[0]
    n_y = parameters["Wya"].shape[0]
    a = np.zeros((n_a, m, T_x))
    y_pred = np.zeros((n_y, m, T_x))
    caches = []
    a_prev = a0
    for t in range(T_x):
        yt_pred, cache = rnn_cell_forward(np.copy(x[:, :, t]), np.copy(a_prev), parameters)
        a_prev = np.copy(cache[1])
        a[:, :, t] = a_prev
        y_pred[:, :, t] = yt_pred
        caches.append(cache)
    return np.copy(a), np.copy(y_pred), (caches, np.copy(x))


def rnn_cell_backward(da_next, cache):
    a_prev, a_next, xt, parameters = cache
    a_prev, a_next, xt, da_next = _copy(a_prev), _copy(a_next), _copy(xt), _copy(da_next)
    Wax = _copy(parameters["Wax"])
    Waa = _copy(parameters["Waa"])
    dz = da_next * (1.0 - a_next ** 2)
    return {
        "dxt": np.copy(np.dot(Wax.T, dz)),
        "da_prev": np.copy(np.dot(Waa.T, dz)),
        "dWax": np.copy(np.dot(dz, xt.T)),
        "dWaa": np.copy(np.dot(dz, a_prev.T)),
        "dba": np.copy(np.sum(dz, axis=1, keepdims=True)),
    }


def rnn_backward(da, caches):
    cell_caches, x = caches
    da = _copy(da)
    n_x, m, T_x = np.shape(x)
    n_a = da.shape[0]
    dx = np.zeros((n_x, m, T_x))
    dWax = np.zeros((n_a, n_x))
    dWaa = np.zeros((n_a, n_a))
    dba = np.zeros((n_a, 1))
    da_prev = np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        step = rnn_cell_backward(np.copy(da[:, :, t]) + da_prev, cell_caches[t])
        dx[:, :, t] = step["dxt"]
        dWax += step["dWax"]
        dWaa += step["dWaa"]
        dba += step["dba"]
        da_prev = np.copy(step["da_prev"])
    return {"dx": np.copy(dx), "da0": np.copy(da_prev), "dWax": np.copy(dWax),
            "dWaa": np.copy(dWaa), "dba": np.copy(dba)}
