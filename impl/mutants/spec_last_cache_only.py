"""rnn_forward assigns the list of caches inside the loop, so only the last step's cache survives.

``caches = [cache]`` where ``caches.append(cache)`` was meant: rnn_backward then finds one cell
cache for T_x steps (an IndexError, or with a loop over the list, a one-step backward).
Bug class: only the last cache kept.
Visible when: T_x ≥ 2.
"""

import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "rnn_forward"


def rnn_forward(x, a0, parameters):
    _, m, T_x = x.shape
    n_a, n_y = a0.shape[0], parameters["Wya"].shape[0]
    a, y_pred = np.zeros((n_a, m, T_x)), np.zeros((n_y, m, T_x))
    a_next = a0
    for t in range(T_x):
        yt_pred, cache = rnn_cell_forward(x[:, :, t], a_next, parameters)
        a_next = cache[1]
        a[:, :, t] = a_next
        y_pred[:, :, t] = yt_pred
        caches = [cache]
    return a, y_pred, (caches, x)
