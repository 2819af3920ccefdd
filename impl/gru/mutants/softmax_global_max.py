"""One maximum over the whole array, not per column.

Bug class: global-max softmax.
Visible when: columns ~745 apart (0/0 = NaN).
"""

# ruff: noqa: F821, F841

import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "softmax"


def softmax(x):
    e_x = np.exp(x - np.max(x))
    return e_x / e_x.sum(axis=0)
