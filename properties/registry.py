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
from rnnspec.spec import cells

# Which functions each function is built on (dependency tiers), from the cell descriptions: a
# function is judged with the ones below it replaced by the reference when they fail.
BUILT_ON = cells.built_on()
FUNCTIONS = cells.functions()


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


def all_checks() -> dict[str, Check]:
    """Every registered check, in dependency order (each cell's modules register on import, in
    the order the cell lists them: within a function, that is report order)."""
    for cell in cells.cells():
        for module in cell.check_modules:
            importlib.import_module(module)
    order = {name: i for i, name in enumerate(FUNCTIONS)}
    return dict(sorted(CHECKS.items(), key=lambda item: order[item[1].function]))
