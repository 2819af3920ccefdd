"""Softmax exponentiates the logits directly, without subtracting the column maximum first.

np.exp overflows to inf for logits above 709.78, and inf/inf = NaN; a column whose logits are all
below about −745 underflows to 0/0 = NaN.
Bug class: softmax without max-subtraction (overflow).
Visible when: some logit > 709 (or a whole column < −745); invisible for moderate logits, where it
agrees with the stable form to rounding.
"""

import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "softmax"


def softmax(x):
    e_x = np.exp(x)
    return e_x / np.sum(e_x, axis=0)
