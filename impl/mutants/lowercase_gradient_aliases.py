"""rnn_backward also returns each gradient under a lower-case alias ("dwax", "dwaa") "for code that
uses the lower-case names".

Extra keys are allowed (EQUATIONS.md), but a key that differs from a documented one only by case is
not: a caller that spells the name either way gets an answer, and an optimiser that iterates over
the dict applies the same update twice.
Bug class: extra key (differing from a documented name only by case).
Visible when: always.
"""

# ruff: noqa: F821

from variant import reference_in

reference_in(globals())
BROKEN = "rnn_backward"
_exact_backward = rnn_backward


def rnn_backward(da, caches):
    gradients = _exact_backward(da, caches)
    gradients.update({"dwax": gradients["dWax"], "dwaa": gradients["dWaa"]})
    return gradients
