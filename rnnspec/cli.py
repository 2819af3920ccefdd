"""The ``rnnspec`` command (also ``python -m rnnspec``): one entry point, a subcommand per task.

    rnnspec check FILE      judge one submission: exit 0 pass, 1 fail, 2 does not load
    rnnspec grade FOLDER    judge every submission in a folder
    rnnspec fuzz FILE       search one submission for a while with N processes
    rnnspec audit           prove the documented gradients with SymPy
    rnnspec replay          replay one failing example, as each failure's reproduction line says
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from rnnspec import __version__

# subcommand -> (module, one line for --help). Each module has add_arguments(parser) and
# command(args) -> exit status.
COMMANDS = {
    "check": ("rnnspec.judge", "judge one submission (.py, .ipynb or module): 0 pass, 1 fail, "
              "2 does not load"),
    "grade": ("rnnspec.grade", "judge every submission below a folder, each in its own process"),
    "fuzz": ("rnnspec.fuzz", "search one submission for failures for a while (--for 10m) with "
             "several processes sharing an example database"),
    "audit": ("rnnspec.symbolic.audit", "prove every documented gradient from the forward "
              "equations (SymPy); exit 1 if any is not proven"),
    "replay": ("rnnspec.replay", "replay one failing example of a check on a submission"),
}


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="rnnspec", description=__doc__,
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
    top.add_argument("--version", action="version", version=f"rnnspec {__version__}")
    commands = top.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, (module, summary) in COMMANDS.items():
        sub = commands.add_parser(name, help=summary, description=summary)
        sub.set_defaults(module=module)
        importlib.import_module(module).add_arguments(sub)
    return top


def main(argv: list | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return importlib.import_module(args.module).command(args)
    except BrokenPipeError:  # the reader went away (| head): nothing more to say to it
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
