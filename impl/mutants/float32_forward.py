"""Forward casts its inputs to float32 "because it is faster", computes, and casts the results back to float64.

The outputs have the right dtype, but only float32 accuracy (relative errors around 1e-7 instead of
1e-16), which the documented float64 contract forbids.
Bug class: precision (float32 inside the forward step).
Visible when: always at float64 tolerances; invisible to checks with rtol ≥ 1e-6.
"""

# ruff: noqa: F821

import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "rnn_cell_forward"


def rnn_cell_forward(xt, a_prev, parameters):
    Wax = parameters["Wax"].astype(np.float32)
    Waa = parameters["Waa"].astype(np.float32)
    Wya = parameters["Wya"].astype(np.float32)
    ba = parameters["ba"].astype(np.float32)
    by = parameters["by"].astype(np.float32)
    xt32 = xt.astype(np.float32)
    a_prev32 = a_prev.astype(np.float32)
    a_next = np.tanh(np.dot(Wax, xt32) + np.dot(Waa, a_prev32) + ba)
    yt_pred = softmax(np.dot(Wya, a_next) + by)
    a_next = a_next.astype(np.float64)
    yt_pred = yt_pred.astype(np.float64)
    cache = (a_prev, a_next, xt, parameters)
    return yt_pred, cache
