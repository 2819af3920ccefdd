"""A correct LSTM that computes all four gates with one matrix product of the stacked weights.

W = [Wf; Wi; Wc; Wo] (4 n_a, n_a + n_x) times concat, then split into the four pre-activations;
the backward pass stacks the four gate gradients the same way for dW, db and dconcat.
Differs from the reference in: stacked single matmul for all four gates.
"""

# ruff: noqa: F821

import numpy as np
from variant import reference_in

reference_in(globals())


def lstm_cell_forward(xt, a_prev, c_prev, parameters):
    xt = _as_float64("xt", xt, 2)
    a_prev = _as_float64("a_prev", a_prev, 2)
    c_prev = _as_float64("c_prev", c_prev, 2)
    n_x, n_a = xt.shape[0], a_prev.shape[0]
    p = _parameters(parameters, CELL_PARAMETERS, n_a, n_x)
    W = np.vstack([p["Wf"], p["Wi"], p["Wc"], p["Wo"]])
    b = np.vstack([p["bf"], p["bi"], p["bc"], p["bo"]])
    z = W @ np.vstack([a_prev, xt]) + b
    ft, it, ot = sigmoid(z[:n_a]), sigmoid(z[n_a:2 * n_a]), sigmoid(z[3 * n_a:])
    cct = np.tanh(z[2 * n_a:3 * n_a])
    c_next = ft * c_prev + it * cct
    a_next = ot * np.tanh(c_next)
    yt_pred = softmax(p["Wy"] @ a_next + p["by"])
    return a_next, c_next, yt_pred, (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt,
                                     parameters)


def lstm_cell_backward(da_next, dc_next, cache):
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters = cache
    n_a = a_prev.shape[0]
    W = np.vstack([parameters[k] for k in ("Wf", "Wi", "Wc", "Wo")])
    tau = np.tanh(c_next)
    dc = dc_next + da_next * ot * (1 - tau**2)
    dz = np.vstack([dc * c_prev * ft * (1 - ft), dc * cct * it * (1 - it),
                    dc * it * (1 - cct**2), da_next * tau * ot * (1 - ot)])
    dW = dz @ np.vstack([a_prev, xt]).T
    db = dz.sum(axis=1, keepdims=True)
    dconcat = W.T @ dz
    out = {"dxt": dconcat[n_a:], "da_prev": dconcat[:n_a], "dc_prev": dc * ft}
    for k, g in enumerate("fico"):
        out["dW" + g] = dW[k * n_a:(k + 1) * n_a]
        out["db" + g] = db[k * n_a:(k + 1) * n_a]
    return out
