"""softmax writes into one module-level output array, kept between calls to save allocations.

Each call returns the right values, and two calls with the same input agree; but the array
returned by one call is overwritten by the next, so a caller holding the first result (a cell's
yt_pred, kept while the next step runs) sees it change.
Bug class: a returned array aliased across calls.
Visible when: softmax is called again, on other logits of the same shape, before the first result
is read (softmax.call_order).
"""

# ruff: noqa: F821
import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "softmax"
_out = None


def softmax(x):
    global _out
    x = np.asarray(x, dtype=np.float64)
    if _out is None or _out.shape != x.shape:
        _out = np.empty_like(x)
    np.exp(x - np.max(x, axis=0, keepdims=True), out=_out)
    _out /= np.sum(_out, axis=0, keepdims=True)
    return _out
