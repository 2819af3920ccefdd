"""A hostile submission: rnn_cell_backward loops forever and swallows every interruption.

Not in impl/mutants/ because nothing short of ending the process stops it: the meta-tests judge
the corpus inside their own process, so this one is judged in a subprocess (test_front_end.py).
"""

import time


def rnn_cell_backward(da_next, cache):
    while True:
        try:
            time.sleep(0.01)
        except BaseException:  # noqa: S110 - the hostility itself
            pass
