"""Forward passes a0 to every step instead of the previous step's state: there is no recurrence.

Each step computes tanh(Wax x⟨t⟩ + Waa a0 + ba), so the state never carries information forward.
Bug class: a0 passed at every step (no recurrence).
Visible when: T_x ≥ 2; invisible at T_x = 1, where a0 is the previous state.
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
    for t in range(T_x):
        yt_pred, cache = rnn_cell_forward(x[:, :, t], a0, parameters)
        _, a_next, _, _ = cache
        a[:, :, t] = a_next
        y_pred[:, :, t] = yt_pred
        caches.append(cache)
    caches = (caches, x)
    return a, y_pred, caches
