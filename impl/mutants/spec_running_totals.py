"""rnn_backward accumulates the weight gradients in module-level running totals never reset.

The notebook created ``totals`` once, at top level; each call adds to it. The first call is right,
the second returns twice the gradients, the third three times: results depend on the history.
Bug class: hidden state (module-global accumulator), results differ between calls.
Visible when: the function is called twice (any inputs with nonzero gradients).
"""

import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "rnn_backward"
totals = {"dWax": 0.0, "dWaa": 0.0, "dba": 0.0}


def rnn_backward(da, caches):
    caches, x = caches
    n_x, m, T_x = x.shape
    n_a = da.shape[0]
    dx = np.zeros((n_x, m, T_x))
    da_prevt = np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        gradients = rnn_cell_backward(da[:, :, t] + da_prevt, caches[t])
        dx[:, :, t] = gradients["dxt"]
        da_prevt = gradients["da_prev"]
        for name, total in totals.items():
            totals[name] = total + gradients[name]
    return {"dx": dx, "da0": da_prevt, "dWax": totals["dWax"], "dWaa": totals["dWaa"],
            "dba": totals["dba"]}
