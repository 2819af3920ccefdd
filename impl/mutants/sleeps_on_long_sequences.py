"""Forward has a debugging pause left in at step 2: a sleep loop nothing ever ends, so T_x ≥ 3 hangs.

The pause was meant to give time to read a printout of step 2; the flag that should stop it is
never cleared.
Bug class: hangs on some inputs (time.sleep loop).
Visible when: T_x ≥ 3 (never returns); invisible at T_x ≤ 2, where it is correct.
"""

# ruff: noqa: F821, RUF059

import time

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
    a_prev = a0
    paused = False
    for t in range(T_x):
        yt_pred, cache = rnn_cell_forward(x[:, :, t], a_prev, parameters)
        _, a_next, _, _ = cache
        if t == 2:
            paused = True
        while paused:
            time.sleep(0.05)
        a[:, :, t] = a_next
        y_pred[:, :, t] = yt_pred
        caches.append(cache)
        a_prev = a_next
    caches = (caches, x)
    return a, y_pred, caches
