"""rnn_cell_forward returns (yt_pred, cache) as in the seed, but orders the cache as in the course,
while the rest of the file (rnn_forward, the backward functions) reads the seed's order.

The cell alone is a consistent hybrid (see impl/variants/seed_outputs_course_cache.py), but the
file does not fit together: rnn_forward takes cache[1], here a_prev, as the new state, and the
backward functions read a_next as a_prev and a_prev as a_next.
Bug class: cache entries in the wrong order (conventions mixed).
Visible when: a_prev ≠ a_next (always, for random inputs).
"""

import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "rnn_forward"


def rnn_cell_forward(xt, a_prev, parameters):
    a_next = np.tanh(parameters["Wax"] @ xt + parameters["Waa"] @ a_prev + parameters["ba"])
    yt_pred = softmax(parameters["Wya"] @ a_next + parameters["by"])
    return yt_pred, (a_next, a_prev, xt, parameters)
