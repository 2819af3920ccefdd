"""rnn_cell_backward sums dz over the batch without keepdims, so dba has shape (n_a,), not (n_a, 1).

The values are right, but ba − lr·dba then broadcasts (n_a, 1) against (n_a,) into an (n_a, n_a)
matrix, and rnn_backward's ``dba += ...`` fails.
Bug class: wrong shape (a reduction that drops its axis).
Visible when: always (n_a = 1 included: (1,) is not (1, 1)).
"""

import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "rnn_cell_backward"


def rnn_cell_backward(da_next, cache):
    a_prev, a_next, xt, parameters = cache
    dz = da_next * (1 - a_next ** 2)
    return {"dxt": parameters["Wax"].T @ dz, "da_prev": parameters["Waa"].T @ dz,
            "dWax": dz @ xt.T, "dWaa": dz @ a_prev.T, "dba": np.sum(dz, axis=1)}
