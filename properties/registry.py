"""The one registry of checks. pytest collects it and the verdict engine runs it: never twice
written.

A check judges one function of the implementation. Its body receives the implementation (through
the contract-checking wrapper) and one drawn case, and raises on a violation. ``examples`` are the
informative cases every run tries first; ``uses`` names other functions of the implementation the
body calls, so a check is reported "missing" or "blocked" rather than failing for their sake.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any, Callable

from hypothesis import strategies as st

# Which functions each function is built on (dependency tiers): when one of these fails, a failure
# of the function above it is reported as "blocked by" the root cause, not as a second failure.
BUILT_ON = {
    "softmax": (),
    "rnn_cell_forward": ("softmax",),
    "rnn_forward": ("rnn_cell_forward",),
    "rnn_cell_backward": (),
    "rnn_backward": ("rnn_cell_backward",),
}
FUNCTIONS = tuple(BUILT_ON)


@dataclass(frozen=True)
class Check:
    id: str
    statement: str
    strategy: st.SearchStrategy = field(repr=False)
    body: Callable[[Any, Any], None] = field(repr=False)
    examples: tuple = ()
    uses: tuple = ()
    deterministic: bool = False  # also call twice and require identical results

    @property
    def function(self) -> str:
        return self.id.split(".", 1)[0]

    @property
    def needs(self) -> tuple:
        """Every function of the implementation this check calls."""
        return (self.function,) + tuple(u for u in self.uses if u != self.function)


CHECKS: dict[str, Check] = {}


def check(id: str, statement: str, strategy: st.SearchStrategy, *, examples=(), uses=(),
          deterministic: bool = False):
    """Register the decorated ``body(impl, case)`` as the check ``id`` ("<function>.<name>")."""
    def register(body):
        if id in CHECKS:
            raise ValueError(f"check {id!r} registered twice")
        if id.split(".", 1)[0] not in BUILT_ON:
            raise ValueError(f"check {id!r} does not start with a known function name")
        CHECKS[id] = Check(id, statement, strategy, body, tuple(examples), tuple(uses),
                           deterministic)
        return body
    return register


# Import order is report order within a function: the numerical checks first, whose messages
# diagnose, then the contracts-only checks.
MODULES = ("softmax_laws", "forward", "cell_gradients", "sequence_gradients", "contracts",
           "call_order")


def all_checks() -> dict[str, Check]:
    """Every registered check, in dependency order (the modules register on import)."""
    for name in MODULES:
        importlib.import_module(f"rnnspec.properties.{name}")
    order = {name: i for i, name in enumerate(FUNCTIONS)}
    return dict(sorted(CHECKS.items(), key=lambda item: order[item[1].function]))
