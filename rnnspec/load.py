"""Load the implementation under test from a ``.py`` file, a ``.ipynb`` notebook or a dotted module.

Each load executes the code in a fresh module namespace, so two submissions never share globals and
a notebook's leftovers cannot leak into another check. Everything that can go wrong while loading
becomes one :class:`LoadError` whose message fits on one line.
"""

from __future__ import annotations

import contextlib
import importlib
import itertools
import json
import os
import sys
import traceback
import types
import warnings
from pathlib import Path

import numpy as np

from rnnspec.sandbox import DISCARD, ImplementationHang, time_limit

_counter = itertools.count()


class LoadError(Exception):
    """The implementation could not be loaded; the message says why in one line."""


def notebook_source(path: Path) -> str:
    """The code cells of a notebook, joined, with IPython magics and shell escapes commented out."""
    try:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    except (ValueError, KeyError) as error:
        raise LoadError(f"{path}: not a readable notebook ({error})") from None
    chunks = []
    for cell in cells:
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        lines = ["# " + line if line.lstrip().startswith(("%", "!")) else line
                 for line in source.splitlines()]
        chunks.append("\n".join(lines))
    return "\n\n".join(chunks) + "\n"


def _describe(error: BaseException, filename: str) -> str:
    if isinstance(error, SyntaxError):
        return f"{type(error).__name__} at line {error.lineno}: {error.msg}"
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == filename]
    where = f" at line {frames[-1].lineno}" if frames else ""
    return f"{type(error).__name__}{where}: {error}"


@contextlib.contextmanager
def _contained(target: str, timeout: float):
    """Run a submission's import-time code without letting it change the suite's process.

    NumPy's error state, the warning filters and stdout are restored or swallowed (a notebook's
    ``np.seterr(all="raise")`` must not make the oracles raise). Replacing a NumPy function is
    undone and refused: the oracles compute with the same NumPy.
    """
    before = dict(vars(np))
    try:
        with time_limit(timeout, f"loading {target}"), np.errstate(), \
                warnings.catch_warnings(), contextlib.redirect_stdout(DISCARD):
            yield
    finally:
        patched = sorted(k for k, v in before.items() if vars(np).get(k) is not v)
        for name in patched:
            setattr(np, name, before[name])
    if patched:
        raise LoadError(f"{target}: replaces numpy.{patched[0]} when loaded; the suite does not "
                        f"judge code that patches NumPy (its oracles use NumPy too)")


def load(target: str, timeout: float = 10.0) -> types.ModuleType:
    """Execute ``target`` (a path to .py/.ipynb, or a dotted module name) in a fresh module."""
    path = Path(target)
    if path.suffix in (".py", ".ipynb") or os.sep in target or "/" in target:
        if not path.is_file():
            raise LoadError(f"no such file: {target}")
        source = notebook_source(path) if path.suffix == ".ipynb" else path.read_text("utf-8")
        module = types.ModuleType(f"rnnspec_impl_{next(_counter)}_{path.stem}")
        filename = module.__file__ = str(path.resolve())
        sys.modules[module.__name__] = module  # dataclasses and pickling look modules up there
        try:
            code = compile(source, filename, "exec")
            sys.path.insert(0, str(path.resolve().parent))  # helpers beside the submission
            try:
                with _contained(target, timeout):
                    exec(code, module.__dict__)  # noqa: S102 - running the submission is the point
            finally:
                sys.path.remove(str(path.resolve().parent))
        except LoadError:
            raise
        except ImplementationHang:
            raise LoadError(f"{target}: loading did not finish within {timeout:g} s") from None
        except BaseException as error:  # a submission may raise anything, SystemExit included
            raise LoadError(f"{target}: {_describe(error, filename)}") from None
        return module
    try:
        with _contained(target, timeout):
            if target in sys.modules:
                return importlib.reload(sys.modules[target])
            return importlib.import_module(target)
    except LoadError:
        raise
    except ImplementationHang:
        raise LoadError(f"{target}: import did not finish within {timeout:g} s") from None
    except BaseException as error:
        raise LoadError(f"cannot import {target}: {type(error).__name__}: {error}") from None
