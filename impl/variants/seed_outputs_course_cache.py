"""A consistent hybrid: rnn_cell_forward returns the seed's two values (yt_pred, cache) but orders
the cache as the course does, (a_next, a_prev, xt, parameters), and the backward reads that order.

Correct code: every function does what EQUATIONS.md says of its values, and the backward reads
the layout its forward writes. The suite detects each side's convention from its behaviour.
"""

# ruff: noqa: F821
import numpy as np
from variant import reference_in

reference_in(globals())


def rnn_cell_forward(xt, a_prev, parameters):
    a_next = np.tanh(parameters["Wax"] @ xt + parameters["Waa"] @ a_prev + parameters["ba"])
    yt_pred = softmax(parameters["Wya"] @ a_next + parameters["by"])
    return yt_pred, (a_next, a_prev, xt, parameters)


def rnn_forward(x, a0, parameters):
    n_x, m, T_x = x.shape
    n_a, n_y = a0.shape[0], parameters["Wya"].shape[0]
    a, y_pred, caches = np.zeros((n_a, m, T_x)), np.zeros((n_y, m, T_x)), []
    a_next = a0
    for t in range(T_x):
        yt_pred, cache = rnn_cell_forward(x[:, :, t], a_next, parameters)
        a_next = cache[0]
        a[:, :, t], y_pred[:, :, t] = a_next, yt_pred
        caches.append(cache)
    return a, y_pred, (caches, x)


def rnn_cell_backward(da_next, cache):
    a_next, a_prev, xt, parameters = cache
    dz = da_next * (1 - a_next**2)
    return {"dxt": parameters["Wax"].T @ dz, "da_prev": parameters["Waa"].T @ dz,
            "dWax": dz @ xt.T, "dWaa": dz @ a_prev.T, "dba": dz.sum(axis=1, keepdims=True)}


def rnn_backward(da, caches):
    cells, x = caches
    n_a, m, T_x = da.shape
    gradients = {"dx": np.zeros((x.shape[0], m, T_x)), "dWax": 0.0, "dWaa": 0.0, "dba": 0.0}
    carried = np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        step = rnn_cell_backward(da[:, :, t] + carried, cells[t])
        gradients["dx"][:, :, t] = step["dxt"]
        for key in ("dWax", "dWaa", "dba"):
            gradients[key] = gradients[key] + step[key]
        carried = step["da_prev"]
    gradients["da0"] = carried
    return gradients
