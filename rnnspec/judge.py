"""Judge one implementation without pytest: the verdict table, or its JSON, and the exit status.

    rnnspec check path/to/my_rnn.py [--json] [--profile ci] [--convention seed]

Exit status: 0 every check passes, 1 a check fails or a function is missing, 2 the submission
does not load. The same registry and engine as ``pytest --impl=...``.
"""

from __future__ import annotations

import argparse
import json
import sys

from rnnspec import profiles, report
from rnnspec.load import LoadError
from rnnspec.run import Session
from rnnspec.sandbox import DEFAULT_CALL_TIMEOUT


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("impl", help="a .py or .ipynb file, or a dotted module name")
    parser.add_argument("--json", action="store_true", help="print the verdict as JSON")
    parser.add_argument("--profile", choices=tuple(profiles.PROFILES), default=profiles.DEFAULT)
    parser.add_argument("--convention", choices=("seed", "course"))
    parser.add_argument("--call-timeout", type=float, default=DEFAULT_CALL_TIMEOUT)


def command(args: argparse.Namespace) -> int:
    try:
        session = Session.open(args.impl, args.convention, profile=args.profile,
                               timeout=args.call_timeout)
    except LoadError as error:
        if args.json:
            print(json.dumps({"implementation": args.impl, "passed": False,
                              "load_error": str(error)}))
        else:
            print(f"rnnspec: {error}", file=sys.stderr)
        return 2
    session.all()
    print(json.dumps(report.as_json(session)) if args.json else report.table(session))
    return 0 if report.verdict_passes(session) else 1

