"""A correct GRU that computes both gates with one product of [Wz; Wr] and splits the result.

Differs from the reference in: stacked matmul for the two gates, in both passes.
"""

# ruff: noqa: F821

import numpy as np
from variant import reference_in

reference_in(globals())


def gru_cell_forward(xt, a_prev, parameters):
    xt = np.asarray(xt, dtype=np.float64)
    a_prev = np.asarray(a_prev, dtype=np.float64)
    n_a = a_prev.shape[0]
    p = {k: np.asarray(v, dtype=np.float64) for k, v in parameters.items()}
    gates = sigmoid(np.vstack([p["Wz"], p["Wr"]]) @ np.vstack([a_prev, xt])
                    + np.vstack([p["bz"], p["br"]]))
    zt, rt = gates[:n_a], gates[n_a:]
    hct = np.tanh(p["Wh"] @ np.vstack([rt * a_prev, xt]) + p["bh"])
    a_next = a_prev + zt * (hct - a_prev)
    yt_pred = softmax(p["Wy"] @ a_next + p["by"])
    return a_next, yt_pred, (a_next, a_prev, zt, rt, hct, xt, parameters)


def gru_cell_backward(da_next, cache):
    a_next, a_prev, zt, rt, hct, xt, parameters = cache
    n_a = a_prev.shape[0]
    dhct = da_next * zt * (1 - hct**2)
    dconcat_r = parameters["Wh"].T @ dhct
    dgates = np.vstack([da_next * (hct - a_prev) * zt * (1 - zt),
                        dconcat_r[:n_a] * a_prev * rt * (1 - rt)])
    dW = dgates @ np.vstack([a_prev, xt]).T
    db = dgates.sum(axis=1, keepdims=True)
    dconcat = np.vstack([parameters["Wz"], parameters["Wr"]]).T @ dgates
    return {"dxt": dconcat[n_a:] + dconcat_r[n_a:],
            "da_prev": da_next * (1 - zt) + dconcat_r[:n_a] * rt + dconcat[:n_a],
            "dWz": dW[:n_a], "dbz": db[:n_a], "dWr": dW[n_a:], "dbr": db[n_a:],
            "dWh": dhct @ np.vstack([rt * a_prev, xt]).T, "dbh": dhct.sum(axis=1, keepdims=True)}
