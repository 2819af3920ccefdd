"""rnn_forward stops after max_steps = 10 time steps (a generation-style length cap) and leaves the
remaining states and predictions at zero.

On the exercise's short sequences nothing changes; on a real sequence of 20–100 characters every
step after the tenth is missing from a, y_pred and the caches.
Bug class: length cap (forward stops after 10 steps).
Visible when: T_x ≥ 11.
"""

# ruff: noqa: F821

import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "rnn_forward"


def rnn_forward(x, a0, parameters, max_steps=10):
    n_x, m, T_x = x.shape
    n_a, n_y = a0.shape[0], parameters["Wya"].shape[0]
    a = np.zeros((n_a, m, T_x))
    y_pred = np.zeros((n_y, m, T_x))
    caches = []
    a_next = a0
    for t in range(min(T_x, max_steps)):
        yt_pred, cache = rnn_cell_forward(x[:, :, t], a_next, parameters)
        a_next = cache[1]
        a[:, :, t] = a_next
        y_pred[:, :, t] = yt_pred
        caches.append(cache)
    return a, y_pred, (caches, x)
