"""da_prev leaves out the path through the reset state rt * a_prev (the dra * rt term).

Bug class: a gradient path left out of da_prev.
Visible when: always.
"""

# ruff: noqa: F821, F841

import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "gru_cell_backward"


def gru_cell_backward(da_next, cache):
    (a_next, a_prev, zt, rt, hct, xt, parameters) = cache
    Wz, Wr, Wh = parameters["Wz"], parameters["Wr"], parameters["Wh"]
    n_a = a_prev.shape[0]
    concat = np.concatenate((a_prev, xt), axis=0)
    concat_r = np.concatenate((rt * a_prev, xt), axis=0)
    dhct = da_next * zt * (1 - hct ** 2)
    dzt = da_next * (hct - a_prev) * zt * (1 - zt)
    dra = np.dot(Wh[:, :n_a].T, dhct)
    drt = dra * a_prev * rt * (1 - rt)
    da_prev = (da_next * (1 - zt) + np.dot(Wz[:, :n_a].T, dzt)
               + np.dot(Wr[:, :n_a].T, drt))
    dxt = np.dot(Wz[:, n_a:].T, dzt) + np.dot(Wr[:, n_a:].T, drt) + np.dot(Wh[:, n_a:].T, dhct)
    return {"dxt": dxt, "da_prev": da_prev,
            "dWz": np.dot(dzt, concat.T), "dbz": np.sum(dzt, axis=1, keepdims=True),
            "dWr": np.dot(drt, concat.T), "dbr": np.sum(drt, axis=1, keepdims=True),
            "dWh": np.dot(dhct, concat_r.T), "dbh": np.sum(dhct, axis=1, keepdims=True)}
