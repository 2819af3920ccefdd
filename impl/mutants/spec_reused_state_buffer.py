"""rnn_forward writes every step's state into one preallocated buffer, in place, and caches it.

a and y_pred are right (each step is copied into a in time), but every cache holds the *same*
buffer, so after the loop all of them hold the last step's state: caches[0][t]'s a_next is
a[:, :, T_x − 1] for every t, and backward differentiates at the wrong states.
Bug class: output aliasing (one reused buffer cached by reference).
Visible when: T_x ≥ 2.
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
    a_next = np.zeros((n_a, m))
    a_prev = a0
    for t in range(T_x):
        xt = x[:, :, t]
        a_next[:] = np.tanh(parameters["Wax"] @ xt + parameters["Waa"] @ a_prev + parameters["ba"])
        y_pred[:, :, t] = softmax(parameters["Wya"] @ a_next + parameters["by"])
        a[:, :, t] = a_next
        caches.append((a_prev, a_next, xt, parameters))
        a_prev = a_next
    return a, y_pred, (caches, x)
