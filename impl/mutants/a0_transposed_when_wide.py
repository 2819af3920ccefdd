"""Forward "fixes" an a0 it believes was passed as (m, n_a): it transposes a0 whenever m ≥ n_a.

The guard assumes the hidden size is larger than the batch (true for the student's own n_a = 64,
m = 8). With m > n_a the transposed a0 no longer fits Waa and the cell raises; with m = n_a it fits
and the state starts from a0ᵀ, silently.
Bug class: wrong only when m ≥ n_a (a wrong orientation guess from the shape).
Visible when: m ≥ n_a (ValueError when m > n_a, wrong values when m = n_a ≥ 2); invisible when
m < n_a.
"""

# ruff: noqa: F821, RUF059

import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "rnn_forward"


def rnn_forward(x, a0, parameters):
    # accept a0 given as (m, n_a) too: the hidden state is taller than it is wide
    if a0.shape[1] >= a0.shape[0]:
        a0 = a0.T
    n_x, m, T_x = x.shape
    n_a = a0.shape[0]
    a = np.zeros((n_a, m, T_x))
    n_y = parameters["Wya"].shape[0]
    y_pred = np.zeros((n_y, m, T_x))
    caches = []
    a_prev = a0
    for t in range(T_x):
        yt_pred, cache = rnn_cell_forward(x[:, :, t], a_prev, parameters)
        _, a_next, _, _ = cache
        a[:, :, t] = a_next
        y_pred[:, :, t] = yt_pred
        caches.append(cache)
        a_prev = a_next
    caches = (caches, x)
    return a, y_pred, caches
