"""rnn_forward collects each step's prediction in a Python list and returns the list as y_pred.

Every entry is right, but y_pred is a list of T_x arrays of shape (n_y, m): no .shape, and
np.array(y_pred) has shape (T_x, n_y, m), the time axis first instead of last.
Bug class: wrong return type (a list instead of an array).
Visible when: always.
"""

import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "rnn_forward"


def rnn_forward(x, a0, parameters):
    _, m, T_x = x.shape
    n_a = a0.shape[0]
    a = np.zeros((n_a, m, T_x))
    y_pred = []
    caches = []
    a_next = a0
    for t in range(T_x):
        yt_pred, cache = rnn_cell_forward(x[:, :, t], a_next, parameters)
        a_next = cache[1]
        a[:, :, t] = a_next
        y_pred.append(yt_pred)
        caches.append(cache)
    return a, y_pred, (caches, x)
