"""The cells rnnspec judges, one module each, and the tables merged from them.

Every module here defines ``CELL``; they are found by listing this package, so adding a cell is
adding a file. A function shared by several cells (softmax) is one function, judged once.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
from functools import cache

from rnnspec.spec.cell import Cell, Convention, Detected


@cache
def cells() -> tuple:
    """Every cell, in report order."""
    found = [importlib.import_module(f"{__name__}.{module.name}").CELL
             for module in pkgutil.iter_modules(__path__)]
    return tuple(sorted(found, key=lambda cell: (cell.order, cell.name)))


def _merged(attribute: str) -> dict:
    merged: dict = {}
    for cell in cells():
        for key, value in getattr(cell, attribute).items():
            merged.setdefault(key, value)
    return merged


@cache
def functions() -> tuple:
    """Every judged function, each once, in dependency order within each cell."""
    return tuple(_merged("roles"))


@cache
def built_on() -> dict:
    return _merged("built_on")


@cache
def arguments() -> dict:
    return _merged("arguments")


@cache
def gradients() -> dict:
    return _merged("gradients")


def cell_of(function: str) -> Cell:
    """The first cell with ``function`` (for a shared activation, the first that uses it)."""
    for cell in cells():
        if function in cell.roles:
            return cell
    raise KeyError(f"no cell has a function {function!r}")


def cells_of(function: str) -> tuple:
    return tuple(cell for cell in cells() if function in cell.roles)


def attempted(present) -> tuple:
    """The cells a submission attempts: those of which it defines a function of its own."""
    return tuple(cell for cell in cells() if any(f in present for f in cell.own_functions))


def detect(worker, timeout: float, given: str = None) -> Detected:
    """Each function's convention: ``given`` by name where its cell has it, else detected by
    the cell from the function's own behaviour where the submission attempts the cell, else the
    cell's first convention."""
    present = worker.loaded.get("present", {})
    conventions, notes = {}, []
    for cell in cells():
        default = next(iter(cell.conventions.values()))
        if given is not None:
            found = {f: cell.conventions.get(given, default) for f in cell.functions}
            notes.append(f"{cell.name}: {found[cell.own_functions[0]].name}, given on the "
                         f"command line")
        elif cell in attempted(present) and len(cell.conventions) > 1:
            try:
                found, said = cell.detect(worker, timeout)
            except Exception as error:  # what a submission returned tripped the detection
                found = {f: default for f in cell.functions}
                said = (f"{cell.name}: {default.name}, assumed (detection failed on what the "
                        f"submission returned: {type(error).__name__})",)
            notes.extend(said)
        else:
            found = {f: default for f in cell.functions}
            if cell in attempted(present):
                notes.append(f"{cell.name}: {default.name}, its only convention")
        for function in cell.functions:
            conventions.setdefault(function, found[function])
    return Detected(conventions, tuple(notes))


def reference_file(function: str, convention: Convention) -> str:
    """The file of the suite's correct implementation of ``function`` in ``convention``, found
    without importing it."""
    cell = cell_of(function)
    module = cell.references.get(convention.name) or next(iter(cell.references.values()))
    return importlib.util.find_spec(module).origin
