"""rnn_forward keeps the hidden state in a0's own memory: ``a_prev = a0`` then ``a_prev[:] = a_next``.

a and y_pred are right, but the caller's a0 now holds the last step's state, and every cache whose
a_prev is that buffer (step 0's) holds it too.
Bug class: input modified in place (aliasing an argument as a work buffer).
Visible when: T_x ≥ 1 and the last state differs from a0 (always, for random inputs).
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
    a_prev = a0
    for t in range(T_x):
        yt_pred, cache = rnn_cell_forward(x[:, :, t], a_prev, parameters)
        a[:, :, t] = cache[1]
        y_pred[:, :, t] = yt_pred
        caches.append(cache)
        a_prev[:] = cache[1]
    return a, y_pred, (caches, x)
