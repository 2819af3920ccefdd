"""The reset gate multiplies Wh[:, :n_a] a_prev after the product (PyTorch's form),
not a_prev before it.

Bug class: reset applied after the product.
Visible when: always.
"""

# ruff: noqa: F821, F841

import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "gru_cell_forward"


def gru_cell_forward(xt, a_prev, parameters):
    Wz, bz = parameters["Wz"], parameters["bz"]
    Wr, br = parameters["Wr"], parameters["br"]
    Wh, bh = parameters["Wh"], parameters["bh"]
    Wy, by = parameters["Wy"], parameters["by"]
    n_a = a_prev.shape[0]
    concat = np.concatenate((a_prev, xt), axis=0)
    zt = sigmoid(np.dot(Wz, concat) + bz)
    rt = sigmoid(np.dot(Wr, concat) + br)
    hct = np.tanh(rt * np.dot(Wh[:, :n_a], a_prev) + np.dot(Wh[:, n_a:], xt) + bh)
    a_next = (1 - zt) * a_prev + zt * hct
    yt_pred = softmax(np.dot(Wy, a_next) + by)
    return a_next, yt_pred, (a_next, a_prev, zt, rt, hct, xt, parameters)
