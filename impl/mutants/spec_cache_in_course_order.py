"""rnn_cell_forward returns (yt_pred, cache) as in the seed, but orders the cache as in the course.

A file mixing the two conventions: the cache is (a_next, a_prev, xt, parameters), so a seed-style
backward reads a_next as a_prev and a_prev as a_next.
Bug class: cache entries in the wrong order (conventions mixed).
Visible when: a_prev ≠ a_next (always, for random inputs).
"""

import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "rnn_cell_forward"


def rnn_cell_forward(xt, a_prev, parameters):
    a_next = np.tanh(parameters["Wax"] @ xt + parameters["Waa"] @ a_prev + parameters["ba"])
    yt_pred = softmax(parameters["Wya"] @ a_next + parameters["by"])
    return yt_pred, (a_next, a_prev, xt, parameters)
