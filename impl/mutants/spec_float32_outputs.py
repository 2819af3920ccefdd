"""rnn_forward allocates a and y_pred as float32 "to save memory".

Every step is computed in float64 and then rounded to float32 when stored, so a and y_pred carry
only float32 accuracy and dtype, which the documented float64 contract forbids; the caches, still
float64, no longer agree with a.
Bug class: precision (float32 outputs for float64 inputs).
Visible when: always, for float64 inputs.
"""

import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "rnn_forward"


def rnn_forward(x, a0, parameters):
    _, m, T_x = x.shape
    n_a, n_y = a0.shape[0], parameters["Wya"].shape[0]
    a = np.zeros((n_a, m, T_x), dtype=np.float32)
    y_pred = np.zeros((n_y, m, T_x), dtype=np.float32)
    caches = []
    a_next = a0
    for t in range(T_x):
        yt_pred, cache = rnn_cell_forward(x[:, :, t], a_next, parameters)
        a_next = cache[1]
        a[:, :, t] = a_next
        y_pred[:, :, t] = yt_pred
        caches.append(cache)
    return a, y_pred, (caches, x)
