"""sigmoid written through tanh without halving the argument: (1 + tanh(x)) / 2 is σ(2x).

Bug class: a wrong activation (σ via tanh, argument not halved).
Visible when: x ≠ 0 (σ(0) = 0.5 either way).
"""

# ruff: noqa: F821
import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "sigmoid"


def sigmoid(x):
    return 0.5 * (1.0 + np.tanh(x))
