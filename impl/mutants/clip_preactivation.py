"""Forward clips the pre-activation z to [-5, 5] before tanh "to avoid saturation".

tanh(5) = 0.99991, so every |z| > 5 gives a state up to 9e-5 away from tanh(z); below 5 it is exact.
Bug class: clipping (np.clip of z to [-5, 5]).
Visible when: some |Wax x + Waa a_prev + ba| > 5 (large weights or inputs); invisible when all
|z| ≤ 5.
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
    z = np.dot(Wax, xt) + np.dot(Waa, a_prev) + ba
    z = np.clip(z, -5, 5)  # keep tanh out of saturation
    a_next = np.tanh(z)
    yt_pred = softmax(np.dot(Wya, a_next) + by)
    cache = (a_prev, a_next, xt, parameters)
    return yt_pred, cache
