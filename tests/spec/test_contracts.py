"""The contracts' power, as a specification: every contract has a real bug it catches, by name.

For each case, Checked over the mutant raises ContractViolation with that contract's id and a
message naming the function, the argument or output, and what was expected against what came;
the reference (seed convention) and a correct course-convention implementation raise nothing on
the same inputs. Then: the table is well formed, no check crashes on garbage, the tolerances are
the derived ones.
"""

from __future__ import annotations

import copy
import math
import re
from pathlib import Path

import numpy as np
import pytest
from rnnspec.properties.registry import FUNCTIONS
from rnnspec.spec import shapes
from rnnspec.spec.cells.rnn import CELL as RNN
from rnnspec.spec.cells.rnn import COURSE, SEED
from rnnspec.spec.checked import GRADIENTS, Checked
from rnnspec.spec.contract import Call, ContractViolation
from rnnspec.spec.contracts import CONTRACTS, by_id, softmax_tolerance

from tests.corpus import broken_function
from tests.helpers import module_at

inputs = module_at(Path(__file__).with_name("inputs.py"))
REFERENCE = inputs.implementation("impl/reference.py")
COURSE_REFERENCE = inputs.implementation("impl/variants/course_convention.py")
CORRECT = [(REFERENCE, SEED), (COURSE_REFERENCE, COURSE)]


def far_apart_logits(problem):
    """Column 1's logits all about 800 below column 0's: exp underflows to 0 without a shift."""
    problem.logits[:, 1] -= 800.0
    return problem


class Case:
    """One mutant, the function to call, the contract it must break, words its message must use."""

    def __init__(self, contract, mutant, function, words, calls=1, prepare=None):
        self.contract, self.mutant, self.function = contract, mutant, function
        self.words, self.calls, self.prepare = tuple(words), calls, prepare

    def problem(self, seed: int = 0):
        problem = inputs.Problem(seed)  # course sizes: n_x 3, n_a 5, n_y 2, m 10, T_x 4
        return self.prepare(problem) if self.prepare else problem

    def __repr__(self):
        return f"{self.contract}-{self.mutant}-{self.function}"


CASES = [
    Case("gradient_keys", "spec_misspelt_gradient_key", "rnn_backward",
         ["rnn_backward", "'dWa'", "missing 'dWaa'", "expected dx, da0, dWax, dWaa, dba"]),
    Case("arrays", "spec_y_pred_list", "rnn_forward",
         ["rnn_forward", "y_pred is a list", "(4, 2, 10)", "expected a numpy.ndarray"]),
    Case("shape", "spec_dba_without_keepdims", "rnn_cell_backward",
         ["rnn_cell_backward", "dba has shape (5,)", "expected (n_a, 1) = (5, 1)"]),
    Case("dtype", "spec_float32_outputs", "rnn_forward",
         ["rnn_forward", "a has dtype float32", "expected float64"]),
    Case("no_mutation", "spec_softmax_in_place", "softmax",
         ["softmax", "x was modified by the call at index (", "now ", "before the call "]),
    Case("no_mutation", "spec_a0_as_state_buffer", "rnn_forward",
         ["rnn_forward", "a0 was modified by the call at index (", "before the call"]),
    Case("no_mutation", "spec_gradients_into_parameters", "rnn_cell_backward",
         ["rnn_cell_backward", "cache[3] (parameters) was modified", "added 'dxt'"]),
    Case("no_mutation", "spec_da_accumulated_in_place", "rnn_backward",
         ["rnn_backward", "da was modified by the call at index (", "before the call"]),
    Case("finite", "spec_softmax_naive_logsumexp", "softmax",
         ["softmax", "y is inf at index (", "expected finite", "every input is finite"],
         prepare=far_apart_logits),
    Case("softmax_simplex", "spec_softmax_last_axis", "softmax",
         ["softmax", "column y[:, 0] sums to", "expected 1 within", "rows sum to 1"]),
    Case("softmax_simplex", "spec_softmax_last_axis", "rnn_forward",
         ["rnn_forward", "column y_pred[:, 0, 0] sums to", "expected 1 within", "max|logit|"]),
    Case("cell_cache", "spec_cache_in_course_order", "rnn_cell_forward",
         ["rnn_cell_forward", "cache[0] (a_prev) differs from the input a_prev at index (",
          "cache[1] holds it", "(a_prev, a_next, xt, parameters)"]),
    Case("sequence_caches", "spec_reused_state_buffer", "rnn_forward",
         ["rnn_forward", "caches[0][0][1] (step 0's a_next) differs from a[:, :, 0] at index (",
          "it holds a[:, :, 3]", "written in place"]),
    Case("sequence_caches", "spec_flattened_caches", "rnn_forward",
         ["rnn_forward", "expected a list of T_x = 4 cell caches, got a list of 16 entries",
          "flattened"]),
    Case("sequence_caches", "spec_last_cache_only", "rnn_forward",
         ["rnn_forward", "expected a list of T_x = 4 cell caches, got a list of 1 entry",
          "only one"]),
    Case("sequence_caches", "spec_mutable_default_caches", "rnn_forward",
         ["rnn_forward", "got a list of 8 entries", "earlier calls", "mutable default"], calls=2),
    Case("deterministic", "spec_running_totals", "rnn_backward",
         ["rnn_backward", "second call", "different result"]),
]


def run(module, convention, case):
    """Call case.function case.calls times through Checked (twice per call for determinism),
    each time on another batch, as a training loop would (a call repeating an earlier one's
    arguments exactly is answered without the worker)."""
    checked = Checked(module, convention, deterministic=case.contract == "deterministic")
    for batch in range(case.calls):
        checked.call(case.function, *inputs.arguments(case.function, case.problem(batch),
                                                      convention))


@pytest.mark.parametrize("case", CASES, ids=repr)
def test_the_mutant_breaks_its_contract_with_a_readable_message(case):
    module = inputs.implementation(f"impl/mutants/{case.mutant}.py")
    with pytest.raises(ContractViolation) as caught:
        run(module, SEED, case)
    violation = caught.value
    assert (violation.contract, violation.function) == (case.contract, case.function), violation
    for word in case.words:
        assert word in str(violation), f"{word!r} not in: {violation}"


@pytest.mark.parametrize("case", CASES, ids=repr)
@pytest.mark.parametrize("module, convention", CORRECT, ids=["reference", "course"])
def test_correct_implementations_raise_nothing_on_the_same_inputs(case, module, convention):
    checked = Checked(module, convention, deterministic=True)
    for batch in range(case.calls):
        checked.call(case.function, *inputs.arguments(case.function, case.problem(batch),
                                                      convention))


def test_every_contract_is_shown_breakable_and_every_spec_mutant_is_used():
    shown = {case.contract for case in CASES}
    assert {c.id for c in CONTRACTS} | {"deterministic"} <= shown
    files = {path.stem for path in inputs.MUTANTS.glob("spec_*.py")}
    assert files == {case.mutant for case in CASES}
    for case in CASES:
        # Judged whole, these two fail first elsewhere: softmax over the last axis in softmax;
        # the forward caching in the course's order, in the backward that reads the seed's.
        if case.mutant not in ("spec_softmax_last_axis", "spec_cache_in_course_order"):
            assert broken_function(inputs.MUTANTS / f"{case.mutant}.py") == case.function


def test_the_contract_table_is_data_a_report_can_list():
    ids = [c.id for c in CONTRACTS]
    assert len(ids) == len(set(ids))
    for contract in CONTRACTS:
        assert re.fullmatch(r"[a-z]+(_[a-z]+)*", contract.id), contract.id
        assert "\n" not in contract.statement and len(contract.statement) <= 200, contract.id
        assert contract.statement.endswith("."), contract.id
        assert contract.functions and set(contract.functions) <= set(FUNCTIONS), contract.id
        assert by_id(contract.id) is contract
    with pytest.raises(KeyError, match="known: gradient_keys"):
        by_id("nope")
    for function, keys in GRADIENTS.items():  # the shapes table and the key list agree
        if function in RNN.functions:
            assert tuple(shapes.OUTPUT_SHAPES[function]) == keys


# --- checks the mutant corpus cannot show: the course convention, dtype rule, tolerances --------

def call_record(function, convention, args, raw_outputs, handed=None):
    names = {"softmax": ("x",), "rnn_cell_forward": ("xt", "a_prev", "parameters"),
             "rnn_forward": ("x", "a0", "parameters"), "rnn_cell_backward": ("da_next", "cache"),
             "rnn_backward": ("da", "caches")}[function]
    given = dict(zip(names, args))
    return Call(function, convention, given, handed if handed is not None
                else copy.deepcopy(given), raw_outputs)


def test_a_course_cache_must_hold_the_a_next_it_returns():
    problem = inputs.Problem()
    xt, a_prev, parameters = inputs.arguments("rnn_cell_forward", problem, COURSE)
    a_next, yt_pred, _ = inputs.call(COURSE_REFERENCE, "rnn_cell_forward", xt, a_prev, parameters)
    z = np.arctanh(a_next)  # the bug: caching the pre-activation instead of a_next
    record = call_record("rnn_cell_forward", COURSE, (xt, a_prev, parameters),
                         {"a_next": a_next, "yt_pred": yt_pred,
                          "cache": (z, a_prev, xt, parameters)})
    message = by_id("cell_cache").check(record)
    assert message.startswith("cache[0] (a_next) differs from the returned a_next at index (")


def test_float32_inputs_may_give_float32_or_float64_but_not_float16():
    problem = inputs.Problem(dtype="float32")
    (u,) = inputs.arguments("softmax", problem, SEED)
    y = inputs.call(REFERENCE, "softmax", u)
    for dtype, expected in ((np.float32, None), (np.float64, None), (np.float16, "float16")):
        message = by_id("dtype").check(call_record("softmax", SEED, (u,), {"y": y.astype(dtype)}))
        assert message is None if expected is None else expected in message


def test_the_softmax_bound_is_derived_and_correct_code_stays_within_half_of_it():
    eps = float(np.finfo(np.float64).eps)
    assert softmax_tolerance(1, eps) == 2 * eps and softmax_tolerance(6, eps) == 12 * eps
    rng = np.random.default_rng(0)
    for module in (REFERENCE, COURSE_REFERENCE):
        for n_y in range(1, 9):
            for scale in (1e-2, 1.0, 1e2, 1e3):
                y = inputs.call(module, "softmax", scale * rng.standard_normal((n_y, 500)))
                error = np.max(np.abs(np.sum(y, axis=0) - 1.0))
                assert error <= softmax_tolerance(n_y, eps) / 2, (n_y, scale, error / eps)


def test_finite_makes_no_claim_where_finite_inputs_may_overflow():
    problem = inputs.Problem()
    args = inputs.arguments("rnn_backward", problem, SEED)
    outputs = inputs.call(REFERENCE, "rnn_backward", *args)
    outputs["dWax"] = outputs["dWax"].copy()
    outputs["dWax"][0, 0] = np.inf
    assert "dWax is inf at index (0, 0)" in by_id("finite").check(
        call_record("rnn_backward", SEED, args, outputs))
    huge = copy.deepcopy(args)
    huge[0][0, 0, 0] = 1e100  # da: the carried gradient may legitimately overflow from here
    assert by_id("finite").check(call_record("rnn_backward", SEED, huge, outputs)) is None


def test_what_a_call_derives_from_its_inputs_is_never_another_calls():
    """The checks of one call share what they derive from its inputs (sizes, dtypes, the largest
    entry); a second call, or the same record given other inputs, gets its own."""
    problem = inputs.Problem()
    args = inputs.arguments("rnn_backward", problem, SEED)
    outputs = inputs.call(REFERENCE, "rnn_backward", *args)
    outputs["dWax"] = outputs["dWax"].copy()
    outputs["dWax"][0, 0] = np.inf
    record = call_record("rnn_backward", SEED, args, outputs)
    assert "dWax is inf" in by_id("finite").check(record)
    huge = copy.deepcopy(args)
    huge[0][0, 0, 0] = 1e100  # inputs this large may overflow: no claim
    assert by_id("finite").check(call_record("rnn_backward", SEED, huge, outputs)) is None
    assert "dWax is inf" in by_id("finite").check(record)
    record.inputs = dict(zip(("da", "caches"), huge))  # the same record, other inputs
    assert by_id("finite").check(record) is None
    narrow = [a.astype(np.float32) for a in inputs.arguments("softmax", problem, SEED)]
    y = inputs.call(REFERENCE, "softmax", *narrow).astype(np.float16)
    assert "float16" in by_id("dtype").check(call_record("softmax", SEED, narrow, {"y": y}))
    wide = inputs.arguments("softmax", problem, SEED)
    assert "float16" in by_id("dtype").check(call_record("softmax", SEED, wide, {"y": y}))


def test_the_walk_without_keys_finds_what_the_keyed_walk_finds_in_its_order():
    from collections import OrderedDict, namedtuple

    from rnnspec.spec.contracts import _array_list, _arrays

    a, b = np.zeros((2, 3)), np.ones(4, dtype=np.float32)
    pair = namedtuple("pair", "left right")
    shared = {"w": a, "v": [b, 2.5]}
    values = [
        {"x": a, "caches": ([(a, b, shared), (b, a, shared)], a)},
        [pair(a, np.float64(3.0)), OrderedDict(k=b, j=[a, 1.5]), (b,), "text", None, 3],
        ([], {}, (np.int32(7), np.zeros(0)), [[a], [[b]]]),
    ]
    for value in values:
        for into_dicts in (True, False):
            keyed = [array for _, array in _arrays(value, into_dicts=into_dicts)]
            plain = _array_list(value, into_dicts=into_dicts)
            assert len(plain) == len(keyed)
            for left, right in zip(plain, keyed):
                assert left.dtype == right.dtype and left.shape == right.shape
                assert left.tobytes() == right.tobytes()
                if isinstance(right, np.ndarray) and right.base is None and right.ndim:
                    assert left is right


GARBAGE = [None, "text", 3, 2.5, math.nan, [1.0, [2.0, 3.0]], (np.zeros(2),), {"a": 1},
           np.array("s"), np.array([[1, 2]], dtype=object), np.zeros((0, 3)), np.float64(np.nan),
           np.full((2, 3), np.nan), np.array([1 + 2j]), np.zeros((2, 2), dtype=bool)]


@pytest.mark.parametrize("function", RNN.functions)
def test_no_check_crashes_on_garbage_outputs_or_garbage_in_the_handed_arguments(function):
    problem = inputs.Problem(n_x=2, n_a=3, n_y=4, m=5, T_x=2)
    args = inputs.arguments(function, problem, SEED)
    genuine = Checked(REFERENCE, SEED).call(function, *args)
    record = call_record(function, SEED, args, genuine)
    places = [("outputs", name) for name in genuine] + [("handed", name) for name in record.inputs]
    for where, name in places:
        for junk in GARBAGE:
            broken = copy.copy(record)
            setattr(broken, where, dict(getattr(record, where), **{name: junk}))
            for contract in CONTRACTS:
                if contract.applies_to(function):
                    verdict = contract.check(broken)
                    assert verdict is None or isinstance(verdict, str), (contract.id, name, junk)


# --- results that a second call overwrites in place (Checked snapshots the first) -------------

RUNNING_TOTALS = """
from variant import reference_in
reference_in(globals())
totals = {}
correct_backward = rnn_backward


def rnn_backward(da, caches):  # running totals in module-level arrays, returned themselves
    gradients = correct_backward(da, caches)
    for name, value in gradients.items():
        totals.setdefault(name, np.zeros_like(value))
        totals[name] += value
    return totals
"""


def test_determinism_sees_results_the_second_call_overwrites_in_place(tmp_path):
    path = inputs.MUTANTS / "test_running_totals_in_place.py"
    path = tmp_path / path.name
    for helper in ("variant.py", "reference.py"):
        (tmp_path / helper).write_bytes((inputs.MUTANTS / helper).read_bytes())
    path.write_text(RUNNING_TOTALS)
    worker = inputs.implementation(path)
    args = inputs.arguments("rnn_backward", inputs.Problem(), SEED)
    with pytest.raises(ContractViolation, match="deterministic"):
        Checked(worker, SEED, deterministic=True).rnn_backward(*args)
