"""The reference's own promises: its input validation names the argument and both shapes."""

from __future__ import annotations

import numpy as np
import pytest
from rnnspec.impl import reference
from rnnspec.properties.cases import Case

CASE = Case()


def test_a_wrong_shape_names_the_argument_the_expected_and_the_actual_shape():
    p = dict(CASE.parameters, Waa=np.ones((3, 3)))
    with pytest.raises(ValueError, match=r"parameters\['Waa'\]: expected shape \(n_a, n_a\) = "
                                         r"\(4, 4\), got \(3, 3\)"):
        reference.rnn_cell_forward(CASE.x[:, :, 0], CASE.a0, p)
    with pytest.raises(ValueError, match=r"a0: expected shape \(n_a, m\) = \(4, 5\), got \(4, 2\)"):
        reference.rnn_forward(CASE.x, CASE.a0[:, :2], CASE.parameters)
    with pytest.raises(ValueError, match=r"da: expected shape \(n_a, m, T_x\)"):
        _, _, caches = reference.rnn_forward(CASE.x, CASE.a0, CASE.parameters)
        reference.rnn_backward(CASE.da[:, :, :1], caches)


def test_a_missing_parameter_is_named():
    p = {k: v for k, v in CASE.parameters.items() if k != "Wya"}
    with pytest.raises(ValueError, match="parameters: missing 'Wya'"):
        reference.rnn_forward(CASE.x, CASE.a0, p)


def test_float32_inputs_give_float64_outputs_as_the_docstring_says():
    p = {k: v.astype(np.float32) for k, v in CASE.parameters.items()}
    a, y_pred, _ = reference.rnn_forward(CASE.x.astype(np.float32), CASE.a0.astype(np.float32), p)
    assert a.dtype == y_pred.dtype == np.float64
