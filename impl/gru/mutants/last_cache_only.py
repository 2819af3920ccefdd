"""The caches list is rebuilt at every step: only the last cache is kept.

Bug class: last cache only.
Visible when: T_x >= 2.
"""

# ruff: noqa: F821, F841

import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "gru_forward"


def gru_forward(x, a0, parameters):
    caches = []
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wy"].shape
    a = np.zeros((n_a, m, T_x))
    y = np.zeros((n_y, m, T_x))
    a_next = a0
    for t in range(T_x):
        a_next, yt, cache = gru_cell_forward(x[:, :, t], a_next, parameters)
        a[:, :, t] = a_next
        y[:, :, t] = yt
        caches = [cache]
    return a, y, (caches, x)
