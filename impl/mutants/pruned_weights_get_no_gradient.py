"""rnn_cell_backward masks the weight gradients with the weights' own non-zero pattern ("pruned
weights stay pruned"), so an entry of Wax or Waa that is exactly 0 gets gradient 0.

The gradient with respect to a weight does not depend on that weight's value: dWax = dz xtᵀ and
dWaa = dz a_prevᵀ whatever Wax and Waa hold. Masking belongs in the optimiser of a pruned model,
not in the backward pass.
Bug class: zero-skip (single zero entries get no gradient).
Visible when: some entry of Wax or Waa is exactly zero.
"""

# ruff: noqa: F821

import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "rnn_cell_backward"
_exact_backward = rnn_cell_backward


def rnn_cell_backward(da_next, cache):
    gradients = _exact_backward(da_next, cache)
    parameters = cache[3]
    gradients["dWax"] = gradients["dWax"] * (np.asarray(parameters["Wax"]) != 0)
    gradients["dWaa"] = gradients["dWaa"] * (np.asarray(parameters["Waa"]) != 0)
    return gradients
