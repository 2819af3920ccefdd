"""Run the registry of checks over one implementation and decide each check's outcome.

Outcomes are computed lazily and memoized, dependencies first: a check runs with the functions
below it that fail on their own replaced by the reference, so whether they fail must be known
first, whatever order pytest asks in.
"""

from __future__ import annotations

import time
import zlib
from dataclasses import dataclass, field
from typing import Optional

from hypothesis import errors as hypothesis_errors
from hypothesis import example, given, seed, settings

from rnnspec import drawn, profiles, source
from rnnspec.properties.cases import Case
from rnnspec.properties.compare import Mismatch
from rnnspec.properties.registry import BUILT_ON, FUNCTIONS, Check, all_checks
from rnnspec.sandbox import (
    DEFAULT_CALL_TIMEOUT,
    ImplementationError,
    ImplementationFailure,
    ImplementationHang,
    Limits,
    OutOfBudget,
)
from rnnspec.source import LoadError
from rnnspec.spec import cells
from rnnspec.spec.cell import Detected
from rnnspec.spec.checked import Checked
from rnnspec.spec.contract import ContractViolation
from rnnspec.submission import Submission


@dataclass
class Outcome:
    check: str
    function: str
    statement: str
    status: str  # "pass", "fail", "blocked" (it hangs), "missing", "absent" (a cell not
    # attempted), "not run" (the budget was spent)
    examples: int = 0  # examples run (including the explicit informative ones)
    detected_at: Optional[int] = None  # the example that first failed, counting from 1
    message: str = ""
    case: str = ""  # the minimal failing case, as Case.spec()
    contract: Optional[str] = None  # the contract broken, when that is the failure
    blocked_by: Optional[str] = None
    replaced: tuple = ()  # the functions below it, missing or failing, the reference's instead
    seconds: float = 0.0
    traceback: str = ""
    ratio: Optional[float] = None  # error / tolerance at the worst entry, for a wrong value
    shrunk: bool = False  # the case is Hypothesis's smallest, not the first that failed

    @property
    def ok(self) -> bool:
        return self.status == "pass"


class _Failed(Exception):
    """Raised inside the Hypothesis test so that Hypothesis shrinks the failing example."""


@dataclass
class Session:
    """One implementation under test, with the outcomes of its checks as they are computed."""

    submission: Submission
    convention: Detected
    target: str = ""
    profile: str = profiles.DEFAULT
    timeout: float = DEFAULT_CALL_TIMEOUT
    convention_forced: bool = False
    convention_note: str = ""
    outcomes: dict = field(default_factory=dict)
    hung: dict = field(default_factory=dict)  # function -> the check in which it hung
    budget: float = Limits.budget  # seconds for the whole verdict

    @classmethod
    def open(cls, target, convention: Optional[str] = None, *, sandbox: Optional[bool] = None,
             memory: int = Limits.memory, **options) -> Session:
        """Start a worker for ``target`` (a path, or a ``source.Program``) and detect its
        convention (``convention`` overrides the detection).

        Raises ``LoadError`` when the submission cannot be read or loaded; ``sandbox`` None
        sandboxes where bubblewrap works.
        """
        known = {name for cell in cells.cells() for name in cell.conventions}
        if convention is not None and convention not in known:
            raise LoadError(f"unknown convention {convention!r}; choose "
                            f"{' or '.join(sorted(known))}")
        program = target if isinstance(target, source.Program) else source.read(str(target))
        limits = Limits(options.get("timeout", DEFAULT_CALL_TIMEOUT), memory,
                        options.get("budget", Limits.budget))
        # The budget starts now: loading and detecting the convention count against it.
        deadline = time.monotonic() + limits.budget
        submission = Submission(program, FUNCTIONS, limits, sandbox, deadline)
        name = str(target) if not isinstance(target, source.Program) else str(program.path)
        try:
            detected = cells.detect(submission.worker(), limits.call_timeout, convention)
        except BaseException:
            submission.close()
            raise
        return cls(submission, detected, name, convention_forced=convention is not None,
                   **options)

    def __post_init__(self):
        self.checks = all_checks()
        self.deadline = self.submission.deadline
        if self.deadline == float("inf"):
            self.deadline = time.monotonic() + self.budget
        self.convention_note = "; ".join(self.convention.notes)
        attempted = cells.attempted(self.submission.present) or cells.cells()[:1]
        self._expected = tuple(f for f in FUNCTIONS if any(f in c.roles for c in attempted))
        self._checkers: dict = {}
        self.impl, self.twice = self._checked(frozenset())

    def _checked(self, replaced: frozenset) -> tuple:
        """(Checked, Checked calling twice) over the worker where the functions of ``replaced``
        are the reference's, in the convention detected for each."""
        if replaced not in self._checkers:
            references = frozenset((name, cells.reference_file(name, self.convention.of(name)))
                                   for name in replaced)
            worker = self.submission.worker(references)
            self._checkers[replaced] = tuple(
                Checked(worker, self.convention, timeout=self.timeout, deterministic=twice,
                        time_left=self.time_left) for twice in (False, True))
        return self._checkers[replaced]

    def extra_keys(self) -> dict:
        """Per backward function, the gradient keys it returned beyond the documented ones."""
        found: dict = {}
        for pair in self._checkers.values():
            for checked in pair:
                for function, keys in checked.extra_keys.items():
                    found.setdefault(function, set()).update(keys)
        return found

    def time_left(self) -> float:
        return self.deadline - time.monotonic()

    @property
    def sandboxed(self) -> bool:
        return self.submission.sandboxed

    def close(self) -> None:
        self.submission.close()

    def present(self, function: str) -> bool:
        return function in self.submission.present

    def outcome(self, check_id: str) -> Outcome:
        if check_id not in self.outcomes:
            self.outcomes[check_id] = self._decide(self.checks[check_id])
        return self.outcomes[check_id]

    def all(self, stop_at_first_failure: bool = False) -> list:
        """The outcomes of every check of the functions the submission must define (the cells
        it does not attempt are absent, and their checks are not run)."""
        expected = self.expected()
        for check_id, check in self.checks.items():
            if check.function not in expected:
                continue
            if self.outcome(check_id).status == "fail" and stop_at_first_failure:
                break
        return [o for o in self.outcomes.values() if o.function in expected]

    def function_failure(self, function: str) -> Optional[Outcome]:
        """The first check ``function`` fails on its own (its dependencies replaced), if any."""
        for check_id, check in self.checks.items():
            if check.function == function:
                result = self.outcome(check_id)
                if result.status in ("fail", "not run"):
                    return result
                if result.status == "blocked" and result.blocked_by in self.checks:
                    return self.outcome(result.blocked_by)
        return None

    def expected(self) -> tuple:
        """The functions the submission must define: every function of each cell it attempts
        (of the first cell when it attempts none). The other cells' are absent, not missing."""
        return self._expected

    def status(self, function: str) -> str:
        """The function's own verdict: missing, fail, or pass (maybe only through others);
        absent for a function of a cell the submission does not attempt."""
        if function not in self.expected():
            return "absent"
        if not self.present(function):
            return "missing"
        return "fail" if self.function_failure(function) is not None else "pass"

    @staticmethod
    def built_on(*functions: str) -> set:
        """Everything the functions are built on, transitively (not the functions themselves)."""
        below, queue = set(), [d for f in functions for d in BUILT_ON[f]]
        while queue:
            name = queue.pop()
            if name not in below:
                below.add(name)
                queue.extend(BUILT_ON[name])
        return below

    def failing_below(self, check: Check) -> frozenset:
        """What the check's function is built on or the check uses, missing or failing on its
        own: the check runs with those replaced by the reference, judging its function alone."""
        used = [u for u in check.uses if u != check.function]
        below = self.built_on(check.function, *used) | set(used)
        return frozenset(name for name in below
                         if not self.present(name) or name in self.hung
                         or self.function_failure(name) is not None)

    def _decide(self, check: Check) -> Outcome:
        if check.function not in self.expected():
            return Outcome(check.id, check.function, check.statement, "absent",
                           message="the submission does not attempt this cell")
        if not self.present(check.function):
            return Outcome(check.id, check.function, check.statement, "missing",
                           message=f"the module defines no {check.function}")
        if check.function in self.hung:  # one hang is enough evidence; do not wait again
            return Outcome(check.id, check.function, check.statement, "blocked",
                           message=f"not run: {check.function} hangs",
                           blocked_by=self.hung[check.function])
        if self.time_left() <= 0:
            return Outcome(check.id, check.function, check.statement, "not run",
                           message=f"not run: the verdict's time budget of {self.budget:g} s "
                                   f"was spent (too slow)")
        return self._run(check)

    def _run(self, check: Check) -> Outcome:
        replaced = self.failing_below(check)
        impl, twice = self._checked(replaced)
        impl = twice if check.deterministic else impl
        started = time.perf_counter()
        # One shrunk failure per function is what the report leads with; a function's later
        # failing checks keep the case they first failed on (derandomized profiles only).
        shrink = not profiles.get(self.profile).derandomize or not any(
            o.function == check.function and o.status == "fail" for o in self.outcomes.values())
        first = self._search(check, impl, shrink)
        final = first
        if first["out_of_budget"]:
            return Outcome(check.id, check.function, check.statement, "not run", first["n"],
                           message=f"not run to the end: the verdict's time budget of "
                                   f"{self.budget:g} s was spent (too slow)",
                           seconds=time.perf_counter() - started)
        if (first["failure"] is not None and first["first"] <= len(check.examples)
                and not isinstance(first["failure"], ImplementationHang) and shrink):
            # An informative example failed; Hypothesis does not shrink explicit examples, so
            # search once more without them for a smaller input that fails the same check.
            again = self._hypothesis(check, impl, ())
            if again["failure"] is not None and not again["out_of_budget"]:
                final = again
        outcome = Outcome(check.id, check.function, check.statement, "pass", first["n"],
                          seconds=time.perf_counter() - started, replaced=tuple(sorted(replaced)))
        failure = final["failure"]
        if failure is None:
            return outcome
        outcome.status, outcome.detected_at = "fail", first["first"]
        outcome.case, outcome.shrunk = _spec(final["case"]), final["shrunk"]
        outcome.message = _describe(failure) + final["note"]
        if isinstance(failure, Mismatch):
            outcome.ratio = failure.ratio
        if isinstance(failure, ContractViolation):
            outcome.contract = failure.contract
        if isinstance(failure, ImplementationError):
            outcome.traceback = failure.frames
        return outcome

    def _search(self, check: Check, impl: Checked, shrink: bool = True) -> dict:
        """The check's first run, its explicit examples first: under a derandomized profile its
        cases replayed, and Hypothesis only after one fails, to meet it again and shrink it (see
        :mod:`rnnspec.drawn`), unless ``shrink`` is off."""
        examples, chosen = check.examples, profiles.get(self.profile)
        if not chosen.derandomize:
            return self._hypothesis(check, impl, examples)
        replayed = _state()
        for case in drawn.cases(check, self.profile,
                                lambda record: self._test(check, record, examples, chosen)):
            if self._try(check, impl, case, replayed):
                break
        if (replayed["failure"] is None or replayed["out_of_budget"] or replayed["hung"]
                or replayed["first"] <= len(examples) or not shrink):
            # Hypothesis would stop at the same explicit example without shrinking it (the
            # caller searches again without them), and a hang is not shrunk: waiting for it
            # again shows nothing new.
            return replayed
        searched = self._hypothesis(check, impl, examples)
        if searched["failure"] is None and not searched["out_of_budget"]:
            # The same calls did not fail twice: the implementation remembers earlier calls.
            replayed["note"] = _NOT_REPEATED
            return replayed
        return searched

    def _try(self, check: Check, impl: Checked, case, state: dict) -> bool:
        """Run the check on one case, noting in ``state`` what happened; True if it failed (or
        the budget ran out)."""
        state["n"] += 1
        try:
            check.body(impl, case)
            return False
        except OutOfBudget:
            state["out_of_budget"] = True
            return True
        except (Mismatch, ImplementationFailure) as failure:
            state["failure"] = failure
        except Exception as failure:  # the check itself tripped on what the impl returned
            state["failure"] = failure
        state["case"] = case
        state["first"] = state["first"] or state["n"]
        if isinstance(state["failure"], ImplementationHang):
            state["hung"] = repr(case)
            self.hung.setdefault(state["failure"].function, check.id)
        return True

    def _hypothesis(self, check: Check, impl: Checked, examples) -> dict:
        """One Hypothesis run of ``check``: the last (smallest) failure and the example count."""
        state = _state()

        def run_case(case):
            if state["out_of_budget"]:
                state["n"] += 1
                raise _Failed()
            if state["hung"] is not None:  # after one hang, do not wait for every shrink step
                state["n"] += 1
                if repr(case) == state["hung"]:
                    raise _Failed()
                return
            if self._try(check, impl, case, state):
                raise _Failed()

        try:
            self._test(check, run_case, examples, profiles.get(self.profile))()
        except _Failed:
            pass
        except (hypothesis_errors.FlakyFailure, hypothesis_errors.Flaky):
            state["note"] = _NOT_REPEATED
        except Exception as error:  # older Hypothesis groups failures of explicit examples
            if not _only_failures(error):
                raise
        state["shrunk"] = (state["failure"] is not None and state["hung"] is None
                           and state["first"] > len(examples))
        return state

    @staticmethod
    def _test(check: Check, run_case, examples, chosen: settings):
        """The Hypothesis test of ``check`` calling ``run_case(case)``: the explicit examples
        first, then drawn cases, each check with a sequence of its own when derandomized."""
        test = given(case=check.strategy)(run_case)
        for informative in reversed(examples):
            test = example(case=informative)(test)
        if chosen.derandomize:  # every check is the same run_case: give each its own sequence
            test = seed(zlib.crc32(check.id.encode()))(test)
        return chosen(test)


_NOT_REPEATED = ("\n  (the failure did not repeat on the same input: the implementation is not "
                 "deterministic)")


def _state() -> dict:
    return {"n": 0, "first": None, "failure": None, "case": None, "hung": None, "note": "",
            "out_of_budget": False, "shrunk": False}


def _only_failures(error: BaseException) -> bool:
    """Whether ``error`` is our _Failed, or an exception group holding nothing else."""
    if isinstance(error, _Failed):
        return True
    inner = getattr(error, "exceptions", None)
    return bool(inner) and all(_only_failures(e) for e in inner)


def _spec(case) -> str:
    if isinstance(case, tuple):
        return ";".join(_spec(c) for c in case)
    return case.spec() if hasattr(case, "spec") else repr(case)


PARAMETER_NAMES = tuple(Case().parameters)


def _describe(failure: BaseException) -> str:
    if isinstance(failure, ImplementationError) and failure.kind == "NameError":
        name = failure.name or (failure.text.split("'")[1:2] or [None])[0]
        if name in PARAMETER_NAMES:
            return (f"{failure}\n  likely cause: {failure.function} uses {name} without taking it "
                    f"from parameters (parameters[{name!r}]); inside a notebook this silently "
                    f"uses the notebook's global {name} instead of the one passed in")
    if isinstance(failure, ImplementationError) and failure.kind == "ValueError" and (
            "not aligned" in failure.text or "core dimension" in failure.text):
        return (f"{failure}\n  likely cause: a matrix product whose operands do not fit, usually "
                f"a missing or extra transpose (W · dz where Wᵀ · dz belongs) or sizes hard-coded "
                f"to other inputs")
    if isinstance(failure, (Mismatch, ImplementationFailure)):
        return str(failure)
    return f"{type(failure).__name__}: {failure} (while the suite read the implementation's output)"
