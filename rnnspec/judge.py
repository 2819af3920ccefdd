"""Judge one submission: the verdict table, or its JSON, and the exit status.

    rnnspec check path/to/my_rnn.py [--json] [--profile ci] [--convention seed]

Exit status: 0 every check passes, 1 a check fails or a function is missing, 2 the submission
does not load. This process is the judge: it never runs the submission's code, which lives in a
worker process of its own (sandboxed where bubblewrap is installed), so nothing the submission
does can change the verdict, the exit status or what is printed here.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rnnspec import profiles, report, sandbox
from rnnspec.run import Session
from rnnspec.source import LoadError


def add_options(parser: argparse.ArgumentParser) -> None:
    """The options every command that judges shares (check, grade)."""
    parser.add_argument("--profile", choices=tuple(profiles.PROFILES), default=profiles.DEFAULT,
                        help="ci: derandomized and fast (default); thorough: searches long")
    parser.add_argument("--convention", choices=("seed", "course"),
                        help="override the detected convention")
    parser.add_argument("--call-timeout", type=float, default=sandbox.DEFAULT_CALL_TIMEOUT,
                        metavar="SECONDS", help="one call's time limit before it counts as a "
                        f"hang (default {sandbox.DEFAULT_CALL_TIMEOUT:g})")
    parser.add_argument("--budget", type=float, default=sandbox.DEFAULT_BUDGET,
                        metavar="SECONDS", help="time for the whole verdict; past it the "
                        f"unrun checks are 'not run' and it fails (default "
                        f"{sandbox.DEFAULT_BUDGET:g})")
    parser.add_argument("--memory", type=float, default=sandbox.DEFAULT_MEMORY / (1 << 30),
                        metavar="GIB", help="the worker's memory (address space) limit "
                        f"(default {sandbox.DEFAULT_MEMORY / (1 << 30):g})")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("impl", help="a .py or .ipynb file, or a dotted module name")
    parser.add_argument("--json", action="store_true", help="print the verdict as JSON")
    parser.add_argument("--report-json", type=Path, metavar="PATH",
                        help="also write the verdict as JSON to PATH")
    add_options(parser)
    parser.add_argument("--no-sandbox", action="store_true",
                        help="run the worker without bubblewrap even where it is installed")


def verdict(target, options: argparse.Namespace, sandboxed=None) -> tuple:
    """(JSON verdict, text table or load error) of one submission.

    An error of the suite itself while judging is this submission's verdict, FAIL with the error
    named, never a crash of the command (nor, under ``grade``, of the class's other verdicts).
    """
    try:
        session = Session.open(target, options.convention, profile=options.profile,
                               timeout=options.call_timeout, budget=options.budget,
                               memory=int(options.memory * (1 << 30)), sandbox=sandboxed)
    except LoadError as error:
        return {"implementation": str(target), "passed": False, "load_error": str(error)}, None
    except Exception as error:  # a bug of the suite, tripped by this submission
        return _internal(target, error)
    try:
        session.all()
        return report.as_json(session), report.table(session)
    except Exception as error:
        return _internal(target, error)
    finally:
        session.close()


def _internal(target, error: Exception) -> tuple:
    said = f"the suite failed while judging it ({type(error).__name__}: {str(error)[:200]})"
    return ({"implementation": str(target), "passed": False, "error": said},
            f"rnnspec verdict for {target}: FAIL\n  {said}; please report it")


def command(args: argparse.Namespace) -> int:
    result, text = verdict(args.impl, args, sandboxed=False if args.no_sandbox else None)
    if args.report_json:
        args.report_json.write_text(json.dumps(result, indent=2) + "\n")
    if args.json:
        print(json.dumps(result))
    elif text is None:
        print(f"rnnspec: {result['load_error']}", file=sys.stderr)
    else:
        print(text)
    if "load_error" in result:
        return 2
    return 0 if result["passed"] else 1
