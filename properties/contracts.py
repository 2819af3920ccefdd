"""One check per function that exercises its contracts alone, calling twice for determinism.

Every other property enforces the contracts too (they call through ``spec.checked.Checked``); these
checks make sure the contracts also get their own verdict when the numerical checks are blocked,
and they are where "calling twice gives identical results" is tested.
"""

from __future__ import annotations

from rnnspec.properties.cases import INFORMATIVE, INFORMATIVE_LOGITS, Case, Logits, cases, logits
from rnnspec.properties.cell_gradients import Cell
from rnnspec.properties.registry import check
from rnnspec.properties.sequence_gradients import Sequence


@check("softmax.contracts", "softmax keeps its contracts: shape, dtype, columns on the simplex, "
       "inputs untouched, same result twice", logits(), examples=INFORMATIVE_LOGITS,
       deterministic=True)
def softmax_contracts(impl, case: Logits) -> None:
    impl.softmax(case.u)


@check("rnn_cell_forward.contracts", "rnn_cell_forward keeps its contracts: shapes, dtype, the "
       "cache's contents and order, inputs untouched, same result twice", cases(),
       examples=INFORMATIVE, deterministic=True)
def cell_forward_contracts(impl, case: Case) -> None:
    impl.rnn_cell_forward(case.x[:, :, 0], case.a0, case.parameters)


@check("rnn_forward.contracts", "rnn_forward keeps its contracts: shapes, dtype, one cache per "
       "step holding that step's values, inputs untouched, same result twice", cases(),
       examples=INFORMATIVE, deterministic=True)
def forward_contracts(impl, case: Case) -> None:
    impl.rnn_forward(case.x, case.a0, case.parameters)


@check("rnn_cell_backward.contracts", "rnn_cell_backward keeps its contracts: the documented keys "
       "and shapes, dtype, the cache untouched, same result twice", cases(),
       examples=INFORMATIVE, deterministic=True)
def cell_backward_contracts(impl, case: Case) -> None:
    cell = Cell.of(impl, case)
    impl.rnn_cell_backward(cell.da_next, cell.cache)


@check("rnn_backward.contracts", "rnn_backward keeps its contracts: the documented keys and "
       "shapes, dtype, da and the caches untouched, same result twice", cases(),
       examples=INFORMATIVE, deterministic=True)
def backward_contracts(impl, case: Case) -> None:
    seq = Sequence.of(impl, case)
    impl.rnn_backward(seq.da, seq.caches)
