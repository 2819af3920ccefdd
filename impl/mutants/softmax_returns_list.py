"""Softmax builds its result row by row in a Python list and returns the list, not an array.

The numbers are right (np.array(result) would match), but callers get a list of rows: no .shape,
no .dtype, and arithmetic on it fails or means something else.
Bug class: wrong return type (a list).
Visible when: always (for any input shape).
"""

import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "softmax"


def softmax(x):
    e_x = np.exp(x - np.max(x, axis=0))
    total = np.sum(e_x, axis=0)
    rows = []
    for i in range(x.shape[0]):
        rows.append(e_x[i] / total)
    return rows
