"""Forward step refuses a batch of one example: it raises ValueError when xt has a single column.

The student assumed a batch of one meant a missing batch axis; the equations work for every m ≥ 1.
Bug class: raises on some inputs (m = 1).
Visible when: m = 1 (ValueError from rnn_cell_forward, hence from rnn_forward); invisible at m ≥ 2.
"""

# ruff: noqa: F821

import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "rnn_cell_forward"


def rnn_cell_forward(xt, a_prev, parameters):
    if xt.shape[1] == 1:
        raise ValueError("xt must be (n_x, m) with a batch of examples")
    Wax = parameters["Wax"]
    Waa = parameters["Waa"]
    Wya = parameters["Wya"]
    ba = parameters["ba"]
    by = parameters["by"]
    a_next = np.tanh(np.dot(Wax, xt) + np.dot(Waa, a_prev) + ba)
    yt_pred = softmax(np.dot(Wya, a_next) + by)
    cache = (a_prev, a_next, xt, parameters)
    return yt_pred, cache
