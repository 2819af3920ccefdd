"""The softmax normalizes over the batch axis (axis 1) instead of over the outputs.

Bug class: batch-axis softmax.
Visible when: m >= 2 or n_y >= 2.
"""

# ruff: noqa: F821, F841

import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "softmax"


def softmax(x):
    e_x = np.exp(x - np.max(x, axis=1, keepdims=True))
    return e_x / e_x.sum(axis=1, keepdims=True)
