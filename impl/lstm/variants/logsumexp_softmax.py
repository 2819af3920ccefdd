"""A correct LSTM whose softmax is exp(x - logsumexp(x)) per column.

Differs from the reference in: softmax via a per-column log-sum-exp.
"""

# ruff: noqa: F821

import numpy as np
from variant import reference_in

reference_in(globals())


def softmax(x):
    x = np.asarray(x, dtype=np.float64)
    top = np.max(x, axis=0, keepdims=True)
    return np.exp(x - (top + np.log(np.sum(np.exp(x - top), axis=0, keepdims=True))))
