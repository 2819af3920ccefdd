"""σ written as e^z / (1 + e^z): inf / inf = NaN once z > 709.

Bug class: σ as e^z/(1+e^z) (NaN when saturated).
Visible when: a pre-activation exceeds 709.
"""

# ruff: noqa: F821, F841

import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "sigmoid"


def sigmoid(x):
    return np.exp(x) / (1 + np.exp(x))
