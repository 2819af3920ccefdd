"""Softmax subtracts one maximum over the whole array instead of each column's own maximum.

This is the seed notebook's softmax. A column whose logits all lie far below the global maximum
underflows: from about 708 below it loses precision (subnormal numbers), from about 745 below every
exponential is 0 and the column is 0/0 = NaN.
Bug class: softmax with one global max.
Visible when: m ≥ 2 and some column's logits are all ≳ 708 below another column's maximum (NaN from
≈ 745); invisible for logits of moderate spread, or m = 1.
"""

import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "softmax"


def softmax(x):
    x = x - np.max(x)
    return np.exp(x) / np.sum(np.exp(x), axis=0)
