"""lstm_forward caches one module-level dict of parameters, refilled at every call.

Each call alone is right; the next forward (a validation batch) refills the dict, so the first
forward's caches now hold the second's parameters.
Bug class: caches aliased across calls.
Visible when: the forward is called again before its caches are used (lstm_forward.call_order).
"""

# ruff: noqa: F821
import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "lstm_forward"
_copy = {}
_correct_forward = lstm_forward


def lstm_forward(x, a0, parameters):
    a, y, c, (caches, x_) = _correct_forward(x, a0, parameters)
    _copy.clear()
    _copy.update({name: np.array(value) for name, value in parameters.items()})
    return a, y, c, ([cache[:-1] + (_copy,) for cache in caches], x_)
