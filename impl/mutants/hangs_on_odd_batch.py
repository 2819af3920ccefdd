"""Backward step sums dba two columns at a time with ``while j != m``, which never stops when m is odd.

With m odd, j jumps from m − 1 to m + 1 and never equals m: the loop spins forever (a pure Python
busy loop once j is past the end). For even m the result is right.
Bug class: hangs on some inputs (infinite while loop).
Visible when: m is odd (m = 1, 3, ...: never returns); invisible for even m.
"""

import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "rnn_cell_backward"


def rnn_cell_backward(da_next, cache):
    a_prev, a_next, xt, parameters = cache
    Wax = parameters["Wax"]
    Waa = parameters["Waa"]
    n_a, m = da_next.shape
    dz = da_next * (1 - a_next ** 2)
    dxt = np.dot(Wax.T, dz)
    da_prev = np.dot(Waa.T, dz)
    dWax = np.dot(dz, xt.T)
    dWaa = np.dot(dz, a_prev.T)
    dba = np.zeros((n_a, 1))
    j = 0
    while j != m:
        if j + 1 < m:
            dba[:, 0] += dz[:, j] + dz[:, j + 1]
        elif j < m:
            dba[:, 0] += dz[:, j]
        j += 2
    return {"dxt": dxt, "da_prev": da_prev, "dWax": dWax, "dWaa": dWaa, "dba": dba}
