"""Forward step prints every entry of its state and prediction at every call (debugging left in).

The values are right, so the verdict must be a pass; what it shows is that a submission's output
(n_a·m + n_y·m lines per step, thousands per sequence) is swallowed by the sandbox instead of
burying the report.
"""

# ruff: noqa: F821, UP031

import numpy as np
from variant import reference_in

reference_in(globals())


def rnn_cell_forward(xt, a_prev, parameters):
    Wax = parameters["Wax"]
    Waa = parameters["Waa"]
    Wya = parameters["Wya"]
    ba = parameters["ba"]
    by = parameters["by"]
    print("xt =", xt)
    print("a_prev =", a_prev)
    a_next = np.tanh(np.dot(Wax, xt) + np.dot(Waa, a_prev) + ba)
    for i in range(a_next.shape[0]):
        for j in range(a_next.shape[1]):
            print("a_next[%d][%d] = %.17g" % (i, j, a_next[i, j]))
    yt_pred = softmax(np.dot(Wya, a_next) + by)
    for i in range(yt_pred.shape[0]):
        for j in range(yt_pred.shape[1]):
            print("yt_pred[%d][%d] = %.17g" % (i, j, yt_pred[i, j]))
    cache = (a_prev, a_next, xt, parameters)
    return yt_pred, cache
