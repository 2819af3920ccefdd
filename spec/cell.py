"""A cell is a value: everything the suite knows about one recurrent cell's exercise, in one place.

The engine, the worker, the contracts wrapper and the report are written against :class:`Cell`
and never name a cell: its functions and what each is built on, their arguments, what they
return, the conventions found in the wild (return structures, cache layouts) and how to tell them
apart, the correct implementations to stand in for a failing function, the modules registering
its checks and the contracts specific to it. The cells themselves are the modules of
``spec/cells/``: adding a cell is adding a file there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Mapping

# What a function is, for reading what it returns: an activation returns one array; a cell
# forward a tuple named by the convention; a sequence forward the cell's sequence_returns; a
# backward a dict of gradients.
ACTIVATION, CELL_FORWARD, FORWARD, CELL_BACKWARD, BACKWARD = (
    "activation", "cell_forward", "forward", "cell_backward", "backward")


@dataclass(frozen=True)
class Convention:
    """How a cell forward returns its results and in which order its cache holds its entries."""

    name: str
    cell_forward_returns: tuple  # names of the cell forward's outputs, in order
    cell_cache: tuple  # names of the cell cache entries, in order

    def cell_cache_from(self, **entries) -> tuple:
        """A cell cache in this convention's order, from its entries by name."""
        return tuple(entries[name] for name in self.cell_cache)


@dataclass(frozen=True)
class Detected:
    """The convention each function of a submission follows, and how each was decided."""

    conventions: Mapping  # function name -> Convention
    notes: tuple

    def of(self, function: str) -> Convention:
        return self.conventions[function]

    @property
    def forward(self) -> Convention:  # the first cell's, for messages and --convention
        return next(iter(self.conventions.values()))


@dataclass(frozen=True)
class Cell:
    name: str  # "rnn"
    title: str  # "the vanilla RNN"
    roles: Mapping  # function -> ACTIVATION, CELL_FORWARD, FORWARD, CELL_BACKWARD or BACKWARD
    built_on: Mapping  # function -> the functions it calls
    arguments: Mapping  # function -> its argument names
    sequence_returns: tuple  # names of the sequence forward's outputs, in order
    gradients: Mapping  # backward function -> its gradient keys
    conventions: Mapping  # name -> Convention; the first is assumed when nothing tells
    references: Mapping = field(repr=False)  # convention name -> dotted module, correct code
    detect: Callable = field(repr=False)  # (worker, timeout) -> {function: Convention}, notes
    check_modules: tuple = ()  # dotted modules that register the cell's checks
    contracts: tuple = ()  # contracts specific to this cell's functions
    order: int = 0  # where the cell stands in reports
    symbolic: str = ""  # the dotted module describing its equations, for the generic checks

    @property
    def functions(self) -> tuple:
        return tuple(self.roles)

    @property
    def own_functions(self) -> tuple:
        """Its functions other than activations (shared helpers such as softmax): a submission
        attempts the cell when it defines one of these."""
        return tuple(f for f, role in self.roles.items() if role != ACTIVATION)

    def role(self, function: str) -> str:
        return self.roles[function]


def from_equations(symbolic: str, title: str, references: Mapping, order: int) -> Cell:
    """A cell with one convention, described entirely by its equations' module (the tables of
    ``symbolic.lstm``: FUNCTIONS, BUILT_ON, ARGUMENTS, RETURNS, CACHE, GRADIENTS); its checks
    are the generic ones of ``properties/any_cell.py``, its contracts the generic ones."""
    import importlib

    from rnnspec.spec.contract import Contract
    from rnnspec.spec.contracts import check_arrays, check_dtype, check_no_mutation

    d = importlib.import_module(symbolic)
    roles = {}
    for function in d.FUNCTIONS:
        returns = d.RETURNS[function]
        roles[function] = (ACTIVATION if returns == "array" else
                           (CELL_BACKWARD if "cell" in function else BACKWARD) if returns == "dict"
                           else CELL_FORWARD if "cache" in returns else FORWARD)
    cell_forward = next(f for f, r in roles.items() if r == CELL_FORWARD)
    forward = next(f for f, r in roles.items() if r == FORWARD)
    own = tuple(f for f, r in roles.items() if r != ACTIVATION)
    convention = Convention("course", d.RETURNS[cell_forward], d.CACHE)
    contracts = (
        Contract(f"{d.NAME}_arrays", "Every returned value other than the caches is a "
                 "numpy.ndarray.", own, check_arrays),
        Contract(f"{d.NAME}_dtype", "Every output has a floating dtype at least as precise as "
                 "the inputs.", own, check_dtype),
        Contract(f"{d.NAME}_no_mutation", "No function modifies its arguments.", own,
                 check_no_mutation),
    )
    return Cell(name=d.NAME, title=title, roles=roles, built_on=d.BUILT_ON,
                arguments=d.ARGUMENTS, sequence_returns=d.RETURNS[forward],
                gradients=d.GRADIENTS, conventions={"course": convention},
                references=references, detect=None,
                check_modules=("rnnspec.properties.any_cell",), contracts=contracts, order=order,
                symbolic=symbolic)
