"""Forward writes tanh by its textbook formula (e^z − e^−z)/(e^z + e^−z), which overflows for large |z|.

For |z| > 709.8, e^|z| is inf and the quotient is inf/inf = NaN; near z = 0 the subtraction also
cancels, losing relative accuracy (about 1e-16/|z|).
Bug class: tanh from exponentials (overflow to NaN, cancellation near 0).
Visible when: some |z| > 710 (NaN states and predictions); also, more faintly, for |z| ≪ 1
(relative error ≈ eps/|z|); invisible for moderate |z|.
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
    a_next = (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))
    yt_pred = softmax(np.dot(Wya, a_next) + by)
    cache = (a_prev, a_next, xt, parameters)
    return yt_pred, cache
