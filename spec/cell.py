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
