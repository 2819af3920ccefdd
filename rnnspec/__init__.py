"""rnnspec: property-based verification of recurrent neural network implementations in NumPy.

Everything installs under this one import name. The repository keeps the design card's folders at
its root (``spec/``, ``properties/``, ``symbolic/``, ``impl/``); ``pyproject.toml`` maps them to
``rnnspec.spec`` and so on, and in a checkout that is not installed the root is added to this
package's path so the same names resolve there.
"""

from __future__ import annotations

from pathlib import Path

__version__ = "0.2.0"

_CHECKOUT = Path(__file__).resolve().parent.parent
if (_CHECKOUT / "pyproject.toml").is_file() and (_CHECKOUT / "symbolic").is_dir():
    __path__.append(str(_CHECKOUT))  # noqa: F821 - a package's own __path__


def load_ipython_extension(ipython) -> None:
    """``%load_ext rnnspec``: the ``%rnnspec`` magic (in ``rnnspec.jupyter``, imported here)."""
    from rnnspec import jupyter

    jupyter.load_ipython_extension(ipython)


def check(namespace=None, **options):
    """Judge the functions of ``namespace`` (``globals()``, or the running notebook's cells).

    Returns a ``rnnspec.jupyter.Verdict``, shown as a table in Jupyter; see ``rnnspec.jupyter``.
    """
    from rnnspec import jupyter

    return jupyter.check(namespace, **options)
