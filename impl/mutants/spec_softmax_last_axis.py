"""softmax normalises over the last axis (``axis=-1``, the habit from row-major frameworks).

For the (n_y, m) logits of this course the last axis is the batch, so each row, not each column,
sums to 1: the "probabilities" of one example depend on the other examples in the batch.
Bug class: softmax over the batch axis.
Visible when: m ≥ 2 or n_y ≥ 2 (at n_y = m = 1 both axes are the same single entry).
"""

import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "softmax"


def softmax(x):
    e = np.exp(x - np.max(x, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)
