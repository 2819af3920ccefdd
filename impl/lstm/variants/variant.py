"""Write a submission as the reference with only the function that differs overridden.

``reference_in(globals())`` executes the reference's source (``reference.py`` beside this file, a
copy of the cell's reference one folder up, which ``tests/test_corpus.py`` keeps identical) in the
submission's own namespace, so the reference functions that call others (``rnn_forward`` calls
``rnn_cell_forward``) look them up there and use the override, exactly as in a student's
single-file submission. The copy lives beside the corpus because a submission is judged in a
worker that sees its own folder and never the suite.
"""

from __future__ import annotations

from pathlib import Path

_REFERENCE = Path(__file__).with_name("reference.py")


def reference_in(namespace: dict) -> None:
    """Define the reference's functions (and its helpers) in ``namespace``, keeping its
    docstring."""
    own_doc = namespace.get("__doc__")
    exec(compile(_REFERENCE.read_text("utf-8"), str(_REFERENCE), "exec"), namespace)  # noqa: S102
    namespace["__doc__"] = own_doc
