"""The mutant corpus: realistic buggy variants of the reference; the suite must catch every one.

Each module states its bug class in its docstring and names, in ``BROKEN``, the function whose own
checks must fail (not merely be blocked by another's failure).
"""
