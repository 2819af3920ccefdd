"""Forward loops over range(1, T_x), so step 0 is never computed.

a[:, :, 0] and y_pred[:, :, 0] stay zero, step 1 starts from a0 instead of a⟨0⟩, and the caches
hold T_x − 1 steps.
Bug class: loop from 1 (skips step 0) in forward.
Visible when: always (at T_x = 1 the outputs are all zeros and the cache list is empty).
"""

# ruff: noqa: F821, RUF059

import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "rnn_forward"


def rnn_forward(x, a0, parameters):
    n_x, m, T_x = x.shape
    n_a = a0.shape[0]
    a = np.zeros((n_a, m, T_x))
    n_y = parameters["Wya"].shape[0]
    y_pred = np.zeros((n_y, m, T_x))
    caches = []
    a_prev = a0
    for t in range(1, T_x):
        yt_pred, cache = rnn_cell_forward(x[:, :, t], a_prev, parameters)
        _, a_next, _, _ = cache
        a[:, :, t] = a_next
        y_pred[:, :, t] = yt_pred
        caches.append(cache)
        a_prev = a_next
    caches = (caches, x)
    return a, y_pred, caches
