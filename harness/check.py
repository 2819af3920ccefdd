"""Judge one implementation without pytest: the verdict table, or its JSON, and the exit status.

    python -m harness.check path/to/my_rnn.py [--json] [--profile ci] [--convention seed]

The same registry and engine as ``pytest --impl=...``; graders call this once per submission,
each in its own process (``harness.grade``).
"""

from __future__ import annotations

import argparse
import json
import sys

from harness import profiles, report
from harness.load import LoadError
from harness.run import Session
from harness.sandbox import DEFAULT_CALL_TIMEOUT


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m harness.check", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("impl", help="a .py or .ipynb file, or a dotted module name")
    parser.add_argument("--json", action="store_true", help="print the verdict as JSON")
    parser.add_argument("--profile", choices=tuple(profiles.PROFILES), default=profiles.DEFAULT)
    parser.add_argument("--convention", choices=("seed", "course"))
    parser.add_argument("--call-timeout", type=float, default=DEFAULT_CALL_TIMEOUT)
    args = parser.parse_args(argv)
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


if __name__ == "__main__":
    sys.exit(main())
