"""Correct implementations break no contract, on any shapes, scales and dtypes Hypothesis draws.

Sizes n_x, n_a, n_y, m, T_x are drawn independently from 1..6 (shrinking towards 1, where
several sizes coincide and mix-ups of axes stop being visible to shapes alone), values from a
drawn seed with NumPy's default_rng, scaled log-uniformly between 1e-2 and 1e2 (tanh nearly
linear up to saturated), in float64 or float32. Every function is called through Checked with
determinism on, the backward functions both on the implementation's own caches and on caches
the suite builds. The number of examples comes from the Hypothesis profile in force (the root
conftest loads "ci" or "thorough" by name); only the deadline is set here.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from rnnspec.spec.cells.rnn import COURSE, SEED
from rnnspec.spec.checked import Checked

from tests.helpers import module_at

inputs = module_at(Path(__file__).with_name("inputs.py"))
IMPLEMENTATIONS = {"reference": (inputs.implementation("impl/reference.py"), SEED),
                   "course": (inputs.implementation("impl/variants/course_convention.py"), COURSE)}
size = st.integers(min_value=1, max_value=6)


@st.composite
def problems(draw):
    """A random RNN problem; its repr names every draw, so a failure reads as its inputs."""
    return inputs.Problem(
        seed=draw(st.integers(min_value=0, max_value=2**32 - 1)),
        n_x=draw(size), n_a=draw(size), n_y=draw(size), m=draw(size), T_x=draw(size),
        scale=10.0 ** draw(st.floats(min_value=-2.0, max_value=2.0)),
        dtype=draw(st.sampled_from(["float64", "float32"])))


@settings(deadline=None)
@given(problem=problems(), name=st.sampled_from(sorted(IMPLEMENTATIONS)))
def test_correct_implementations_break_no_contract(problem, name):
    module, convention = IMPLEMENTATIONS[name]
    checked = Checked(module, convention, deterministic=True)
    checked.softmax(problem.logits)
    cell = checked.rnn_cell_forward(*inputs.arguments("rnn_cell_forward", problem, convention))
    checked.rnn_cell_backward(problem.da[:, :, 0], cell["cache"])
    sequence = checked.rnn_forward(*inputs.arguments("rnn_forward", problem, convention))
    checked.rnn_backward(problem.da, sequence["caches"])
    for function in ("rnn_cell_backward", "rnn_backward"):  # on caches the suite built
        checked.call(function, *inputs.arguments(function, problem, convention))
    assert set(checked.seen) >= {"shape", "dtype", "no_mutation", "finite", "softmax_simplex",
                                 "cell_cache", "sequence_caches", "gradient_keys", "deterministic"}
