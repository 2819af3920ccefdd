"""The shipped implementations, read as data: which must pass, which must fail, and why."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Beside the submissions, each corpus folder holds the helpers they import (a copy of the reference
# and the function that executes it into a submission's namespace): those are not submissions.
HELPERS = ("__init__.py", "reference.py", "variant.py")


def _submissions(kind: str) -> list:
    """Every cell's corpus of that kind: impl/mutants, impl/lstm/mutants, impl/gru/mutants..."""
    folders = [ROOT / "impl" / kind] + sorted(ROOT.glob(f"impl/*/{kind}"))
    return sorted(p for folder in folders for p in folder.glob("*.py") if p.name not in HELPERS)


MUTANTS = _submissions("mutants")
VARIANTS = _submissions("variants")


def relative(path: Path) -> str:
    return str(path.relative_to(ROOT))


def constant(path: Path, name: str) -> str:
    """A corpus file's module-level ``NAME = "text"`` (read, since the file runs only in its
    worker): BROKEN names the function whose checks must catch a mutant, FINGERPRINT its cause."""
    for node in ast.parse(path.read_text("utf-8")).body:
        if (isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets]
                == [name] and isinstance(node.value, ast.Constant)):
            return node.value.value
    return ""


def broken_function(path: Path) -> str:
    return constant(path, "BROKEN")


def caught_here(path: Path) -> bool:
    """False when the mutant says it is correct on this NumPy (``CAUGHT_ONLY_IF = <expression
    of np>``), evaluated here since the mutant itself runs only in its worker."""
    import numpy as np

    for node in ast.parse(path.read_text("utf-8")).body:
        if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == [
                "CAUGHT_ONLY_IF"]:
            return bool(eval(compile(ast.Expression(node.value), str(path), "eval"),  # noqa: S307
                             {"np": np}))
    return True


def bug_class(path: Path) -> str:
    """The mutant's docstring line that names its bug class (read from the file, not imported)."""
    doc = ast.get_docstring(ast.parse(path.read_text("utf-8"))) or ""
    for line in doc.splitlines():
        if line.startswith("Bug class:"):
            return line[len("Bug class:"):].strip()
    return doc.splitlines()[0] if doc else ""
