"""`caches += cache` extends the list with the tuple's elements instead of appending the tuple.

Bug class: flattened caches.
Visible when: always.
"""

# ruff: noqa: F821, F841

import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "lstm_forward"


def lstm_forward(x, a0, parameters):
    caches = []
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wy"].shape
    a = np.zeros((n_a, m, T_x))
    c = np.zeros((n_a, m, T_x))
    y = np.zeros((n_y, m, T_x))
    a_next = a0
    c_next = np.zeros((n_a, m))
    for t in range(T_x):
        xt = x[:, :, t]
        a_next, c_next, yt, cache = lstm_cell_forward(xt, a_next, c_next, parameters)
        a[:, :, t] = a_next
        c[:, :, t] = c_next
        y[:, :, t] = yt
        caches += cache
    caches = (caches, x)
    return a, y, c, caches
