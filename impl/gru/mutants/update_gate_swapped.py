"""a_next = zt * a_prev + (1 - zt) * hct: PyTorch's (and Cho et al.'s) assignment of z,
not GRU.md's.

Bug class: z and 1 - z swapped (another convention).
Visible when: always (zt != 1/2).
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
    hct = np.tanh(np.dot(Wh, np.concatenate((rt * a_prev, xt), axis=0)) + bh)
    a_next = zt * a_prev + (1 - zt) * hct
    yt_pred = softmax(np.dot(Wy, a_next) + by)
    return a_next, yt_pred, (a_next, a_prev, zt, rt, hct, xt, parameters)
