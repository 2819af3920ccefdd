"""rnn_forward extends the list of caches with each cell cache instead of appending it.

caches[0] becomes one flat list of 4·T_x entries (a_prev, a_next, xt, parameters, a_prev, ...), so
caches[0][t] is no longer step t's cache and backward unpacks arrays as if they were tuples.
Bug class: caches flattened (list.extend / += instead of append).
Visible when: always.
"""

import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "rnn_forward"


def rnn_forward(x, a0, parameters):
    _, m, T_x = x.shape
    n_a, n_y = a0.shape[0], parameters["Wya"].shape[0]
    a, y_pred = np.zeros((n_a, m, T_x)), np.zeros((n_y, m, T_x))
    caches = []
    a_next = a0
    for t in range(T_x):
        yt_pred, cache = rnn_cell_forward(x[:, :, t], a_next, parameters)
        a_next = cache[1]
        a[:, :, t] = a_next
        y_pred[:, :, t] = yt_pred
        caches += cache
    return a, y_pred, (caches, x)
