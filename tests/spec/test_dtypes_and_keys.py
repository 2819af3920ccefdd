"""The dtype rule and the gradient-key rule of EQUATIONS.md, as a specification.

A gradient may have its primal's dtype (float32 dx for float32 x, even with float64 parameters),
never an integer one; every other output is at least as precise as the inputs. An extra gradient
key is a note, not a failure, unless it differs from a documented key only by case.
"""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
from rnnspec.spec.cells.rnn import SEED
from rnnspec.spec.contract import Call
from rnnspec.spec.contracts import by_id, extra_gradient_keys

from tests.helpers import module_at

inputs = module_at(Path(__file__).with_name("inputs.py"))
REFERENCE = inputs.implementation("impl/reference.py")
NAMES = {"rnn_cell_backward": ("da_next", "cache"), "rnn_backward": ("da", "caches")}


def record(function: str, problem, outputs: dict) -> Call:
    given = dict(zip(NAMES[function], inputs.arguments(function, problem, SEED)))
    return Call(function, SEED, given, copy.deepcopy(given), outputs)


def gradients(function: str, problem) -> dict:
    return inputs.call(REFERENCE, function, *inputs.arguments(function, problem, SEED))


def mixed_problem():
    """float32 data (x, a0, da) with float64 parameters and states."""
    problem = inputs.Problem()
    problem.x, problem.a0 = problem.x.astype(np.float32), problem.a0.astype(np.float32)
    problem.da = problem.da.astype(np.float32)
    return problem


def onehot_problem():
    problem = inputs.Problem()
    classes = np.random.default_rng(0).integers(0, problem.n_x, (problem.m, problem.T_x))
    problem.x = np.moveaxis(np.eye(problem.n_x, dtype=np.int64)[classes], 2, 0)
    return problem


def test_an_extra_gradient_key_is_a_note_not_a_failure():
    for function in NAMES:
        problem = inputs.Problem()
        outputs = dict(gradients(function, problem), dz=np.zeros((problem.n_a, problem.m)),
                       note="a debugging value")
        call = record(function, problem, outputs)
        for contract in ("gradient_keys", "arrays", "dtype", "shape", "finite"):
            assert by_id(contract).check(call) is None, contract
        assert extra_gradient_keys(call) == ["dz", "note"]


def test_an_extra_key_differing_from_a_documented_one_only_by_case_fails():
    problem = inputs.Problem()
    outputs = gradients("rnn_backward", problem)
    outputs["dwaa"] = outputs["dWaa"]
    message = by_id("gradient_keys").check(record("rnn_backward", problem, outputs))
    assert "'dwaa' differs from 'dWaa' only by case" in message


def test_a_missing_key_still_fails():
    problem = inputs.Problem()
    outputs = gradients("rnn_cell_backward", problem)
    outputs["dWa"] = outputs.pop("dWaa")
    assert "missing 'dWaa'" in by_id("gradient_keys").check(
        record("rnn_cell_backward", problem, outputs))


def test_a_gradient_may_have_its_primal_dtype_with_float32_data_and_float64_parameters():
    problem = mixed_problem()
    for function, data in (("rnn_backward", ("dx", "da0")), ("rnn_cell_backward",
                                                             ("dxt", "da_prev"))):
        outputs = gradients(function, problem)
        narrowed = {k: v.astype(np.float32) if k in data else v for k, v in outputs.items()}
        assert by_id("dtype").check(record(function, problem, narrowed)) is None
        weights = dict(outputs, dWax=outputs["dWax"].astype(np.float32))
        message = by_id("dtype").check(record(function, problem, weights))
        assert "dWax has dtype float32, expected float64 like its primal Wax" in message


def test_float32_everywhere_may_give_float32_gradients():
    problem = inputs.Problem(dtype="float32")
    outputs = {k: v.astype(np.float32) for k, v in gradients("rnn_backward", problem).items()}
    assert by_id("dtype").check(record("rnn_backward", problem, outputs)) is None


def test_an_integer_gradient_never_conforms_and_names_zeros_like():
    problem = onehot_problem()
    outputs = gradients("rnn_backward", problem)
    assert by_id("dtype").check(record("rnn_backward", problem, outputs)) is None
    truncated = dict(outputs, dx=outputs["dx"].astype(np.int64))
    message = by_id("dtype").check(record("rnn_backward", problem, truncated))
    assert "dx has dtype int64, expected a floating dtype" in message
    assert "np.zeros_like(x)" in message
    narrowed = dict(outputs, dx=outputs["dx"].astype(np.float32))  # x is no float32 primal
    assert "dx has dtype float32, expected float64" in by_id("dtype").check(
        record("rnn_backward", problem, narrowed))
