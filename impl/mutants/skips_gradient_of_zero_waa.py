"""rnn_cell_backward skips the recurrent part when Waa is all zeros ("no recurrence, nothing to
backpropagate") and returns dWaa = 0 there.

da_prev = Waaᵀ dz is indeed 0 then, but dWaa = dz a_prevᵀ is not: the gradient with respect to a
weight does not depend on that weight's value. Zero-initialised recurrent weights are an everyday
starting point, and with this bug they never move.
Bug class: zero-skip (gradient skipped when Waa is exactly zero).
Visible when: Waa is exactly zero (an all-zero matrix); invisible for any other value.
"""

# ruff: noqa: F821

import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "rnn_cell_backward"
_exact_backward = rnn_cell_backward


def rnn_cell_backward(da_next, cache):
    gradients = _exact_backward(da_next, cache)
    Waa = cache[3]["Waa"]
    if not np.any(Waa):
        gradients["dWaa"] = np.zeros_like(Waa, dtype=np.float64)
        gradients["da_prev"] = np.zeros_like(gradients["da_prev"])
    return gradients
