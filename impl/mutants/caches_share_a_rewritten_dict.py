"""rnn_forward keeps "a copy" of the parameters in one module-level dict, refilled at every call,
and caches that dict.

Each call on its own is right: its caches hold parameters equal to the ones passed in. But the
next forward (a validation batch between a training batch's forward and its backward) refills
the dict, so the first forward's caches now hold the second's parameters, and a backward on them
computes the wrong gradients.
Bug class: caches aliased across calls (a module-level buffer reused for every call).
Visible when: the forward is called again before its caches are used (rnn_forward.call_order);
no single call shows it.
"""

# ruff: noqa: F821
import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "rnn_forward"
_copy = {}


def rnn_forward(x, a0, parameters):
    _copy.clear()
    _copy.update({name: np.array(value) for name, value in parameters.items()})
    n_x, m, T_x = x.shape
    n_a, n_y = a0.shape[0], parameters["Wya"].shape[0]
    a, y_pred, caches = np.zeros((n_a, m, T_x)), np.zeros((n_y, m, T_x)), []
    a_prev = a0
    for t in range(T_x):
        yt_pred, (_, a_next, xt, _) = rnn_cell_forward(x[:, :, t], a_prev, parameters)
        caches.append((a_prev, a_next, xt, _copy))
        a[:, :, t], y_pred[:, :, t] = a_next, yt_pred
        a_prev = a_next
    return a, y_pred, (caches, x)
