"""Forward rounds the state to half precision (float16) "to save memory", then back to float64.

float16 keeps 11 significant bits: each a⟨t⟩ is off by up to 4.9e-4 relative, and the error flows
into y_pred, the later steps and every gradient.
Bug class: precision (np.tanh(z) rounded via float16).
Visible when: always (unless every state is exactly 0 or ±1); the outputs are float64, so only the
values show it.
"""

# ruff: noqa: F821

import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "rnn_cell_forward"


def rnn_cell_forward(xt, a_prev, parameters):
    Wax = parameters["Wax"]
    Waa = parameters["Waa"]
    Wya = parameters["Wya"]
    ba = parameters["ba"]
    by = parameters["by"]
    a_next = np.tanh(np.dot(Wax, xt) + np.dot(Waa, a_prev) + ba)
    a_next = a_next.astype(np.float16).astype(np.float64)
    yt_pred = softmax(np.dot(Wya, a_next) + by)
    cache = (a_prev, a_next, xt, parameters)
    return yt_pred, cache
