"""Run the registry of checks over one implementation and decide each check's outcome.

Outcomes are computed lazily and memoized, dependencies first, so "blocked by" is decided from the
real outcome of the function a failing check is built on, whatever order pytest asks in.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Optional

from hypothesis import example, given
from hypothesis import errors as hypothesis_errors

from harness import load, profiles
from harness.convention import CONVENTIONS, SEED, Convention, detect
from harness.sandbox import (
    DEFAULT_CALL_TIMEOUT,
    ImplementationError,
    ImplementationFailure,
    ImplementationHang,
)
from properties.compare import Mismatch
from properties.registry import BUILT_ON, Check, all_checks
from spec.checked import Checked
from spec.contract import ContractViolation


@dataclass
class Outcome:
    check: str
    function: str
    statement: str
    status: str  # "pass", "fail", "blocked", "missing"
    examples: int = 0  # examples run (including the explicit informative ones)
    detected_at: Optional[int] = None  # the example that first failed, counting from 1
    message: str = ""
    case: str = ""  # the minimal failing case, as Case.spec()
    contract: Optional[str] = None  # the contract broken, when that is the failure
    blocked_by: Optional[str] = None
    seconds: float = 0.0
    traceback: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "pass"


class _Failed(Exception):
    """Raised inside the Hypothesis test so that Hypothesis shrinks the failing example."""


@dataclass
class Session:
    """One implementation under test, with the outcomes of its checks as they are computed."""

    module: object
    convention: Convention
    target: str = ""
    profile: str = profiles.DEFAULT
    timeout: float = DEFAULT_CALL_TIMEOUT
    convention_forced: bool = False
    convention_note: str = ""
    outcomes: dict = field(default_factory=dict)

    @classmethod
    def open(cls, target: str, convention: Optional[str] = None, **options) -> Session:
        """Load ``target`` and detect its convention (``convention`` overrides the detection).

        Raises ``harness.load.LoadError`` when the implementation cannot be loaded.
        """
        module = load.load(target)
        timeout = options.get("timeout", DEFAULT_CALL_TIMEOUT)
        if convention is not None:
            if convention not in CONVENTIONS:
                raise load.LoadError(f"unknown convention {convention!r}; choose "
                                     f"{' or '.join(CONVENTIONS)}")
            return cls(module, CONVENTIONS[convention], target, convention_forced=True,
                       convention_note="given on the command line", **options)
        detected, note = detect(module, timeout=timeout)
        if detected is None:
            detected, note = SEED, f"{note}; assuming the seed convention"
        return cls(module, detected, target, convention_note=note, **options)

    def __post_init__(self):
        self.checks = all_checks()
        self.impl = Checked(self.module, self.convention, timeout=self.timeout)
        self.twice = Checked(self.module, self.convention, timeout=self.timeout,
                             deterministic=True)

    def present(self, function: str) -> bool:
        return callable(getattr(self.module, function, None))

    def outcome(self, check_id: str) -> Outcome:
        if check_id not in self.outcomes:
            self.outcomes[check_id] = self._decide(self.checks[check_id])
        return self.outcomes[check_id]

    def all(self, stop_at_first_failure: bool = False) -> list:
        for check_id in self.checks:
            if self.outcome(check_id).status == "fail" and stop_at_first_failure:
                break
        return list(self.outcomes.values())

    def function_failure(self, function: str) -> Optional[Outcome]:
        """The first failing check of ``function`` or of what it is built on, if any."""
        for name in (function,) + BUILT_ON[function]:
            if not self.present(name):
                continue
            for check_id, check in self.checks.items():
                if check.function == name:
                    result = self.outcome(check_id)
                    if result.status == "fail":
                        return result
                    if result.status == "blocked" and name != function:
                        return self.outcome(result.blocked_by)
        return None

    def _decide(self, check: Check) -> Outcome:
        missing = [name for name in check.needs if not self.present(name)]
        if missing:
            return Outcome(check.id, check.function, check.statement, "missing",
                           message=f"needs {', '.join(missing)}, which the module does not define")
        result = self._run(check)
        if result.status == "fail":
            for below in BUILT_ON[check.function] + tuple(u for u in check.uses
                                                          if u != check.function):
                if not self.present(below):
                    continue
                root = self.function_failure(below)
                if root is not None:
                    result.status, result.blocked_by = "blocked", root.check
                    break
        return result

    def _run(self, check: Check) -> Outcome:
        impl = self.twice if check.deterministic else self.impl
        state = {"n": 0, "first": None, "failure": None, "case": None, "hung": None}

        def body(case):
            state["n"] += 1
            if state["hung"] is not None:  # after one hang, do not wait for every shrink step
                if repr(case) == state["hung"]:
                    raise _Failed()
                return
            try:
                check.body(impl, case)
                return
            except (Mismatch, ImplementationFailure) as failure:
                state["failure"] = failure
            except Exception as failure:  # the check itself tripped on what the impl returned
                state["failure"] = failure
            state["case"] = case
            state["first"] = state["first"] or state["n"]
            if isinstance(state["failure"], ImplementationHang):
                state["hung"] = repr(case)
            raise _Failed()

        def run_case(case):
            body(case)

        test = given(case=check.strategy)(run_case)
        for informative in reversed(check.examples):
            test = example(case=informative)(test)
        test = profiles.get(self.profile)(test)
        started = time.perf_counter()
        note = ""
        try:
            test()
        except _Failed:
            pass
        except hypothesis_errors.FlakyFailure:
            note = ("\n  (the failure did not repeat on the same input: the implementation is "
                    "not deterministic)")
        except hypothesis_errors.Flaky:
            note = "\n  (the failure did not repeat on the same input)"
        seconds = time.perf_counter() - started
        outcome = Outcome(check.id, check.function, check.statement, "pass", state["n"],
                          seconds=seconds)
        failure = state["failure"]
        if failure is None:
            return outcome
        outcome.status, outcome.detected_at = "fail", state["first"]
        outcome.case = _spec(state["case"])
        outcome.message = _describe(failure) + note
        if isinstance(failure, ContractViolation):
            outcome.contract = failure.contract
        if isinstance(failure, ImplementationError):
            outcome.traceback = failure.frames
        return outcome


def _spec(case) -> str:
    if isinstance(case, tuple):
        return ";".join(_spec(c) for c in case)
    return case.spec() if hasattr(case, "spec") else repr(case)


def _describe(failure: BaseException) -> str:
    if isinstance(failure, (Mismatch, ImplementationFailure)):
        return str(failure)
    return f"{type(failure).__name__}: {failure} (while the suite read the implementation's output)"
