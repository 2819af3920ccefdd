"""Calls in the order real code makes them: a result must not change when the function is called
again.

A training loop evaluates a validation batch between a training batch's forward and its backward;
a result that holds something the next call rewrites (a module-level dict or buffer reused for
every call) then silently changes under the caller. Every other check hands each call fresh
inputs and reads its result at once, so it cannot see this. Here the result of a call on case A
is kept in the worker, the function is called on another case B, and A's result is read again:
it must still be what the call returned, and keep every contract for A's arguments.
"""

from __future__ import annotations

from rnnspec.properties.cases import INFORMATIVE, INFORMATIVE_LOGITS, Case, Logits, cases, logits
from rnnspec.properties.cell_gradients import Cell
from rnnspec.properties.registry import check
from rnnspec.properties.sequence_gradients import Sequence
from rnnspec.spec.contract import ContractViolation
from rnnspec.spec.contracts import changed_between_calls


def still_the_same(impl, function: str, first_args: tuple, second_args: tuple) -> None:
    first = impl.call(function, *first_args, keep="first")
    impl.call(function, *second_args, keep="second")  # kept too: a call the worker must make
    try:
        later = impl.again(function, "first", *first_args)
    except ContractViolation as broken:
        raise ContractViolation(
            "call_order", function, f"after a second call on other inputs, the first call's "
            f"result breaks contract {broken.contract} (a module-level dict or array reused for "
            f"every call?): {broken.message}", broken.outputs) from None
    where = changed_between_calls(first, later, impl.detected.of(function))
    if where:
        raise ContractViolation(
            "call_order", function,
            "calling it again, on other inputs, changed what an earlier call had returned "
            f"(a module-level dict or array reused for every call?): {where}".replace(
                "(second call vs first)", "(after the next call vs as returned)"), later)


def _other(case: Case) -> Case:
    """Another batch of the same shapes, as a validation batch would be (one per case)."""
    return case.derived("other", lambda: case.but(seed=case.seed + 1))


@check("softmax.call_order", "softmax's result is not changed by the next call", logits(),
       examples=INFORMATIVE_LOGITS[:2])
def softmax_call_order(impl, case: Logits) -> None:
    still_the_same(impl, "softmax", (case.u,), (case.u[::-1].copy() + 1.0,))


@check("rnn_cell_forward.call_order", "a cell's outputs and cache are not changed by the next "
       "call", cases(), examples=INFORMATIVE[:2])
def cell_forward_call_order(impl, case: Case) -> None:
    other = _other(case)
    still_the_same(impl, "rnn_cell_forward", (case.x[:, :, 0], case.a0, case.parameters),
                    (other.x[:, :, 0], other.a0, other.parameters))


@check("rnn_forward.call_order", "a forward's outputs and caches are not changed by the next "
       "forward (a validation batch between a forward and its backward)", cases(),
       examples=INFORMATIVE[:2])
def forward_call_order(impl, case: Case) -> None:
    other = _other(case)
    still_the_same(impl, "rnn_forward", (case.x, case.a0, case.parameters),
                    (other.x, other.a0, other.parameters))


@check("rnn_cell_backward.call_order", "a cell's gradients are not changed by the next call",
       cases(), examples=INFORMATIVE[:2])
def cell_backward_call_order(impl, case: Case) -> None:
    first, second = Cell.of(impl, case), Cell.of(impl, _other(case))
    still_the_same(impl, "rnn_cell_backward", (first.da_next, first.cache),
                    (second.da_next, second.cache))


@check("rnn_backward.call_order", "a backward's gradients are not changed by the next call",
       cases(), examples=INFORMATIVE[:2])
def backward_call_order(impl, case: Case) -> None:
    first, second = Sequence.of(impl, case), Sequence.of(impl, _other(case))
    still_the_same(impl, "rnn_backward", (first.da, first.caches), (second.da, second.caches))
