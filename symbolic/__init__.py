"""The symbolic side of rnnspec: the documented equations written once in SymPy, proofs that the
documented gradients are the derivatives of the documented forward, and numeric oracles built from
what was proven.

Importing this package (or ``symbolic.oracle``) does not import SymPy; the derivations run lazily,
once per process, the first time an oracle needs them. Run ``python -m symbolic.audit`` for the
report.
"""
