"""A correct RNN whose softmax is computed in log space: softmax(x) = exp(x − logsumexp(x)),
column by column.

logsumexp is taken stably (each column's maximum factored out), and the shift is applied as
(x − max) − log Σ exp(x − max), so nothing overflows and no large logit loses accuracy. The
columns sum to 1 only to rounding (not by construction, as in e / Σ e).
Differs from the reference in: softmax formula (rounding-level differences).
"""

import numpy as np
from variant import reference_in

reference_in(globals())


def softmax(x):
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 0:
        raise ValueError("x: expected at least one dimension, got a scalar")
    shifted = x - np.max(x, axis=0, keepdims=True)
    log_normaliser = np.log(np.sum(np.exp(shifted), axis=0, keepdims=True))
    return np.exp(shifted - log_normaliser)
