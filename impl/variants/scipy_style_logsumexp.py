"""A correct RNN whose softmax is exp(x − logsumexp(x)), logsumexp computed as scipy computes it.

logsumexp(x) = max + log(Σ exp(x − max)) is rounded relative to its own size, about |x|, so the
columns of this softmax sum to 1 only within about eps·|x|: backward stable, and correct. It is
here because the softmax column-sum contract once allowed only 2·n_y·eps and failed it.
"""

# ruff: noqa: F821
import numpy as np
from variant import reference_in

reference_in(globals())


def softmax(x):
    x = np.asarray(x, dtype=np.float64)
    top = np.max(x, axis=0, keepdims=True)
    lse = top + np.log(np.sum(np.exp(x - top), axis=0, keepdims=True))
    return np.exp(x - lse)
