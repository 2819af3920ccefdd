"""Read a submission into a :class:`Program`: the Python source the worker will run, cell by cell.

This runs in the judge and never executes the submission: it only decodes text and translates
notebook syntax. Everything that can be wrong with a file (missing, binary, undecodable, malformed
notebook JSON) is one :class:`LoadError` whose message fits on one line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class LoadError(Exception):
    """The submission cannot be read or loaded; the message says why in one line."""


@dataclass(frozen=True)
class Chunk:
    """One unit the worker runs on its own: a whole ``.py`` file, or one notebook code cell.

    ``label`` names it in messages ("cell 3"; "" for a file); ``source`` is plain Python (IPython
    syntax already translated); ``note`` says what the translation left out, if anything.
    """

    label: str
    source: str
    note: str = ""


@dataclass(frozen=True)
class Program:
    """A submission as the worker receives it.

    ``path`` is the file it came from (for messages and the module's ``__file__``); ``folder`` is
    the folder whose helper modules it may import (``rnn_utils.py`` beside a notebook); a chunk
    that raises is reported and skipped when ``cells`` is true (a notebook), and ends the load
    otherwise (a module).
    """

    path: Path
    folder: Path
    chunks: tuple
    cells: bool = False


def read(target: str) -> Program:
    """The submission at ``target`` (a ``.py`` file or a notebook) as a Program."""
    import json

    if not target.strip():
        raise LoadError("no submission given: expected a .py or .ipynb file")
    path = Path(target)
    if not path.is_file():
        raise LoadError(f"no such file: {target}")
    folder = path.resolve().parent
    if path.suffix == ".ipynb":
        try:
            cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        except (ValueError, KeyError, TypeError) as error:
            raise LoadError(f"{path}: not a readable notebook ({error})") from None
        chunks = []
        for cell in cells:
            if cell.get("cell_type") != "code":
                continue
            text = cell.get("source", "")
            text = "".join(text) if isinstance(text, list) else text
            lines = ["# " + line if line.lstrip().startswith(("%", "!")) else line
                     for line in text.splitlines()]
            chunks.append(Chunk(f"cell {len(chunks) + 1}", "\n".join(lines) + "\n"))
        return Program(path, folder, tuple(chunks), cells=False)
    return Program(path, folder, (Chunk("", path.read_text("utf-8")),))
