"""rnn_forward treats an all-zero column of x⟨t⟩ as padding and keeps the previous state for that
example ("masking", as sequence libraries do when given lengths).

The documented recurrence has no mask: a zero input still gives a⟨t⟩ = tanh(Waa a⟨t−1⟩ + ba). Zero-
padded batches (sequences of different lengths padded at the end) are everyday inputs, and there
this forward disagrees with the equations (and with its own backward).
Bug class: padding mask (a zero column of x keeps the previous state).
Visible when: some column x[:, j, t] is exactly zero.
"""

# ruff: noqa: F821

import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "rnn_forward"


def rnn_forward(x, a0, parameters):
    n_x, m, T_x = x.shape
    n_a, n_y = a0.shape[0], parameters["Wya"].shape[0]
    a = np.zeros((n_a, m, T_x))
    y_pred = np.zeros((n_y, m, T_x))
    caches = []
    a_prev = a0
    for t in range(T_x):
        yt_pred, cache = rnn_cell_forward(x[:, :, t], a_prev, parameters)
        padded = ~np.any(x[:, :, t], axis=0)  # an all-zero column: past the end of its sequence
        a_next = np.where(padded[None, :], a_prev, cache[1])
        yt_pred = softmax(parameters["Wya"] @ a_next + parameters["by"])
        cache = (a_prev, a_next, x[:, :, t], parameters)
        a[:, :, t], y_pred[:, :, t] = a_next, yt_pred
        caches.append(cache)
        a_prev = a_next
    return a, y_pred, (caches, x)
