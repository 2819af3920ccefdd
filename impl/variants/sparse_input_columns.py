"""A correct rnn_cell_forward that multiplies Wax only with the columns of xt that are not all
zeros (padding, or an empty one-hot), and adds nothing for the others: Wax · 0 = 0 exactly.

Unlike the padding_keeps_state mutant it still applies the recurrence to a zero column:
a_next = tanh(Waa a_prev + ba) there.
Differs from the reference in: Wax xt computed on the non-zero columns only.
"""

# ruff: noqa: F821

import numpy as np
from variant import reference_in

reference_in(globals())


def rnn_cell_forward(xt, a_prev, parameters):
    xt = _as_float64("xt", xt, 2)
    a_prev = _as_float64("a_prev", a_prev, 2)
    n_x, n_a = xt.shape[0], a_prev.shape[0]
    p = _parameters(parameters, CELL_PARAMETERS, n_a, n_x)
    z = p["Waa"] @ a_prev + p["ba"]
    used = np.flatnonzero(np.any(xt != 0, axis=0))
    if used.size:
        z[:, used] += p["Wax"] @ xt[:, used]
    a_next = np.tanh(z)
    yt_pred = softmax(p["Wya"] @ a_next + p["by"])
    return yt_pred, (a_prev, a_next, xt, parameters)
