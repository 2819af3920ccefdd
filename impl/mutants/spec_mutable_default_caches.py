"""rnn_forward takes its list of caches as a mutable default argument, ``caches=[]``.

The default list is created once, when the function is defined, and every call appends to the
same list: the first call is right, the second returns 2·T_x cell caches (the first call's too).
Bug class: hidden state (mutable default argument), results differ between calls.
Visible when: the function is called twice in one process.
"""

import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "rnn_forward"


def rnn_forward(x, a0, parameters, caches=[]):  # noqa: B006 - the bug itself
    _, m, T_x = x.shape
    n_a, n_y = a0.shape[0], parameters["Wya"].shape[0]
    a, y_pred = np.zeros((n_a, m, T_x)), np.zeros((n_y, m, T_x))
    a_next = a0
    for t in range(T_x):
        yt_pred, cache = rnn_cell_forward(x[:, :, t], a_next, parameters)
        a_next = cache[1]
        a[:, :, t] = a_next
        y_pred[:, :, t] = yt_pred
        caches.append(cache)
    return a, y_pred, (caches, x)
