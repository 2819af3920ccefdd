"""softmax shifts its argument in place (``x -= max``) for stability, overwriting the caller's x.

The result is right. Inside rnn_cell_forward the argument is a temporary, so nothing shows there;
called directly, softmax leaves the caller's logits shifted by each column's maximum.
Bug class: input modified in place.
Visible when: some column's maximum is not 0 (always, for random logits).
"""

import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "softmax"


def softmax(x):
    x -= np.max(x, axis=0, keepdims=True)
    e = np.exp(x)
    return e / np.sum(e, axis=0, keepdims=True)
