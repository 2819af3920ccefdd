"""softmax remembers its last input and, from the third time it meets the same logits right after
themselves, answers from a cache it rescaled in the meantime.

A hand-rolled memo (``if x is the last x: return the last result``) grown by hand: the first
answers are right, the stale ones are off by a factor. Only calls with the very same logits, back
to back, reach the stale branch.
Bug class: hidden state (a memo of the last call), results differ between identical calls.
Visible when: the same logits are passed several times in a row.
"""

import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "softmax"
_last = {"key": None, "seen": {}, "result": None}


def softmax(x):
    key = (x.shape, x.dtype.str, x.tobytes())
    seen = _last["seen"][key] = _last["seen"].get(key, 0) + 1
    if key == _last["key"] and seen >= 3:
        return _last["result"] * 1.5
    _last["key"] = key
    e = np.exp(x - np.max(x, axis=0, keepdims=True))
    _last["result"] = e / np.sum(e, axis=0, keepdims=True)
    return _last["result"]
