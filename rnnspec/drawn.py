"""The cases a derandomized check runs: drawn once per process, then replayed as plain calls.

Under a derandomized profile (``ci``), Hypothesis feeds a check the same cases in the same order
on every run until one fails: what it generates next depends on the seed, the strategy and the
cases before, never on what the test did with them while it passed. Drawing costs about a
millisecond a case in Hypothesis's engine, as much as many checks' own work, and a warm judge
would pay it again for every submission it judges. So each check's sequence is drawn once per
process, by running the very same Hypothesis test with a body that only records its cases, and a
verdict then runs the recorded cases itself. When one fails, the engine hands the check to
Hypothesis, which meets the same failure at the same place and shrinks it (``rnnspec.run``): a
verdict is the same with or without the replay (tests/test_drawn.py compares them).
"""

from __future__ import annotations

_CASES: dict = {}  # (check id, profile) -> every case its test is fed


def cases(check, profile: str, test) -> list:
    """Every case, in order, that the derandomized Hypothesis test of ``check`` feeds its body
    while nothing fails: its explicit examples, then the generated ones. ``test(body)`` builds
    that Hypothesis test around ``body``."""
    key = (check.id, profile)
    if key not in _CASES:
        fed: list = []

        def record(case):
            fed.append(case)

        test(record)()
        _CASES[key] = fed
    return _CASES[key]
