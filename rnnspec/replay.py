"""Replay one failing example in a fresh process: the reproduction line every failure prints.

    rnnspec replay --impl=my_rnn.py rnn_cell_backward.oracle 'n_x=1,n_a=2,...'
"""

from __future__ import annotations

import argparse
import sys

from rnnspec.properties.cases import Case, Logits
from rnnspec.properties.compare import Mismatch
from rnnspec.run import Session
from rnnspec.sandbox import ImplementationFailure
from rnnspec.source import LoadError


def parse_case(text: str):
    """A case from its spec: ``Case`` or ``Logits`` fields, ``;``-joined for a tuple."""
    if ";" in text:
        return tuple(parse_case(part) for part in text.split(";"))
    if text.lstrip("-").isdigit():
        return int(text)
    return (Logits if Logits.fits(text) else Case).from_spec(text)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--impl", required=True)
    parser.add_argument("--convention", choices=("seed", "course"))
    parser.add_argument("--with-reference", default="", metavar="NAMES",
                        help="functions to replace by the suite's reference, comma-separated, "
                             "as when the check failed (judging a function on its own)")
    parser.add_argument("check")
    parser.add_argument("case")


def command(args: argparse.Namespace) -> int:
    from rnnspec.properties.registry import all_checks

    checks = all_checks()
    if args.check not in checks:
        print(f"rnnspec: no check {args.check!r}; the checks are: {', '.join(checks)}",
              file=sys.stderr)
        return 2
    try:
        case = parse_case(args.case)
    except (ValueError, KeyError, TypeError, IndexError) as error:
        print(f"rnnspec: cannot read the case {args.case!r} ({error}); expected the text after "
              f"the check id in a failure's reproduce line, e.g. n_x=1,n_a=2,n_y=1,m=1,T_x=1,"
              f"seed=0,...", file=sys.stderr)
        return 2
    try:
        session = Session.open(args.impl, args.convention)
    except LoadError as error:
        print(f"rnnspec: {error}", file=sys.stderr)
        return 2
    check = checks[args.check]
    replaced = frozenset(n for n in args.with_reference.split(",") if n)
    impl, twice = session._checked(replaced)
    impl = twice if check.deterministic else impl
    try:
        check.body(impl, case)
    except (Mismatch, ImplementationFailure) as failure:
        print(f"{check.id} FAILS on {case}:\n{failure}")
        return 1
    finally:
        session.close()
    print(f"{check.id} passes on {case}")
    return 0
