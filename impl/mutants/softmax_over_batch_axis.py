"""Softmax normalises along axis 1 (across the examples of the batch) instead of axis 0 (across classes).

Each row then sums to 1 instead of each column: the "probabilities" of one example depend on the
other examples in the batch.
Bug class: softmax over the batch axis (axis=1).
Visible when: n_y ≥ 2 or m ≥ 2 (at m = 1 every entry becomes 1); invisible only when n_y = m = 1.
"""

import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "softmax"


def softmax(x):
    e_x = np.exp(x - np.max(x, axis=1, keepdims=True))
    return e_x / np.sum(e_x, axis=1, keepdims=True)
