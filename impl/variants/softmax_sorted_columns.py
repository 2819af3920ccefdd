"""A correct softmax that sorts each column first: the maximum is the last sorted entry, and the
exponentials are summed from the smallest up (the accurate order), then put back in place.

Differs from the reference in: np.sort / np.argsort per column; summation in ascending order.
"""

import numpy as np
from variant import reference_in

reference_in(globals())


def softmax(x):
    x = np.asarray(x, dtype=np.float64)
    order = np.argsort(x, axis=0, kind="stable")
    ascending = np.take_along_axis(x, order, axis=0)
    exps = np.exp(ascending - ascending[-1:])
    total = np.cumsum(exps, axis=0)[-1:]
    y = np.empty_like(x)
    np.put_along_axis(y, order, exps / total, axis=0)
    return y
