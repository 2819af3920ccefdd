"""A correct LSTM whose σ is written as (1 + tanh(z/2)) / 2.

Deep in the negative tail this returns 0 or loses relative accuracy (1 + tanh(z/2) cancels), an
error of order eps at the gate's scale: rounding, not a defect (LSTM.md, "Dtypes").
Differs from the reference in: sigmoid via tanh.
"""

# ruff: noqa: F821

import numpy as np
from variant import reference_in

reference_in(globals())


def sigmoid(x):
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(x, dtype=np.float64)))
