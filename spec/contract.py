"""What a contract is, and the record of one call that contracts are checked against.

A contract is data: an id the report lists, one sentence a student can read, the functions it
applies to, and a check over a :class:`Call` that returns ``None`` or the violation's message.
Checks compare outputs with the inputs and with each other, never with what the implementation
says about itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from rnnspec.spec.cell import Convention

from rnnspec.sandbox import ImplementationFailure


@dataclass
class Call:
    """One call of a function under test.

    ``inputs`` are the suite's pristine copies of the arguments, by parameter name; ``handed`` are
    the copies the implementation received (read after the call, to see what it modified);
    ``outputs`` are the returned values by documented name (``a_next``, ``yt_pred``, ``cache`` for
    the cell; ``a``, ``y_pred``, ``caches`` for the sequence; the gradient dict's own entries for
    the backward functions; ``y`` for softmax); ``raw`` is the return value as it came.
    """

    function: str
    convention: Convention
    inputs: dict
    handed: dict
    outputs: dict
    raw: Any = None


@dataclass(frozen=True)
class Contract:
    id: str
    statement: str
    functions: tuple
    check: Callable[[Call], Optional[str]] = field(repr=False)

    def applies_to(self, function: str) -> bool:
        return function in self.functions


class ContractViolation(ImplementationFailure):
    """A call broke a contract; ``contract`` is its id, the message says where and how."""

    def __init__(self, contract: str, function: str, message: str, outputs: Optional[dict] = None):
        super().__init__(f"{function} breaks contract {contract}: {message}")
        self.contract, self.function, self.message = contract, function, message
        self.outputs = outputs or {}  # what the call returned, for diagnosis
        self.likely_cause = ""

    def __str__(self) -> str:
        text = super().__str__()
        return text + (f"\n  likely cause: {self.likely_cause}" if self.likely_cause else "")
