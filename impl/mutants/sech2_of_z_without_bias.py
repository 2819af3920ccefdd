"""rnn_cell_backward recomputes the pre-activation from the cache to take tanh'(z) = 1/cosh²(z),
but forgets the bias: z = Wax xt + Waa a_prev, without + ba.

Recomputing tanh' from z is correct (the sech2_from_z variant); recomputing the wrong z is not.
Bug class: sech² from z (derivative taken at a recomputed, wrong pre-activation).
Visible when: ba ≠ 0 and tanh is not linear (the derivative depends on z).
"""

import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "rnn_cell_backward"


def rnn_cell_backward(da_next, cache):
    a_prev, a_next, xt, parameters = cache
    Wax, Waa = parameters["Wax"], parameters["Waa"]
    z = Wax @ xt + Waa @ a_prev
    dz = da_next / np.cosh(z) ** 2
    return {"dxt": Wax.T @ dz, "da_prev": Waa.T @ dz, "dWax": dz @ xt.T,
            "dWaa": dz @ a_prev.T, "dba": np.sum(dz, axis=1, keepdims=True)}
