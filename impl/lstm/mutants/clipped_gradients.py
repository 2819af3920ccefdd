"""lstm_backward clips every parameter gradient to [−1, 1] ("to avoid exploding gradients").

Clipping belongs to the optimiser, after the gradient is computed; inside the backward pass it
returns something that is not the gradient, and not linear in da.
Bug class: gradient clipping inside the backward pass.
Visible when: some gradient entry exceeds 1 in magnitude (large da or weights).
"""

# ruff: noqa: F821
import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "lstm_backward"
_correct_backward = lstm_backward


def lstm_backward(da, caches):
    gradients = _correct_backward(da, caches)
    return {k: (np.clip(v, -1.0, 1.0) if k.startswith(("dW", "db")) else v)
            for k, v in gradients.items()}
