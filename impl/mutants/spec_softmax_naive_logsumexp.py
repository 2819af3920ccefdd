"""softmax as exp(x − log Σ exp x) with the log-sum-exp computed naively, without a shift.

Right for moderate logits. A column whose logits all lie below about −745 has Σ exp x = 0, so
log Σ = −inf and exp(x + inf) = inf; above about +709 the sum overflows and the column becomes 0.
Bug class: softmax overflow/underflow (unstabilised log-sum-exp).
Visible when: some column's logits are all ≲ −745 (inf) or one is ≳ 709 (zeros).
"""

import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "softmax"


def softmax(x):
    with np.errstate(divide="ignore", over="ignore"):
        log_sum = np.log(np.sum(np.exp(x), axis=0, keepdims=True))
        return np.exp(x - log_sum)
