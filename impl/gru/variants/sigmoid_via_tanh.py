"""A correct GRU whose σ is (1 + tanh(z/2)) / 2 (eps-level at the gate's scale in the tails).

Differs from the reference in: sigmoid via tanh.
"""

# ruff: noqa: F821

import numpy as np
from variant import reference_in

reference_in(globals())


def sigmoid(x):
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(x, dtype=np.float64)))
