"""The verdict: each function's own status, the table of checks, one message per failing
function with its reproduction, and the same as JSON."""

from __future__ import annotations

import shlex
from dataclasses import asdict

from rnnspec.run import Outcome, Session
from rnnspec.spec import cells

MARK = {"pass": "pass", "fail": "FAIL", "blocked": "blocked", "missing": "missing",
        "not run": "not run", "absent": "absent"}


def reproduction(session: Session, outcome: Outcome) -> str:
    """A command that replays one failing example in a fresh process, with the same functions
    replaced by the reference as when it failed."""
    parts = ["rnnspec", "replay", f"--impl={session.target}", outcome.check, outcome.case]
    if outcome.replaced:
        parts.insert(3, f"--with-reference={','.join(outcome.replaced)}")
    if session.convention_forced:
        parts.insert(3, f"--convention={session.convention.of(outcome.function).name}")
    return " ".join(shlex.quote(p) for p in parts)


def presence(session: Session) -> dict:
    return {name: session.present(name) for name in session.expected()}


def verdict_passes(session: Session) -> bool:
    return all(presence(session).values()) and all(o.ok or o.status == "absent"
                                                   for o in session.all())


def through(session: Session, function: str) -> list:
    """The submission's own functions, among those ``function`` is built on, that it passed
    only with replaced: right on its own, it fails through them as submitted. (A check may also
    replace a function it only compares with, which ``function`` does not call.)"""
    below = session.built_on(function)
    return sorted({name for o in session.all() if o.function == function
                   for name in o.replaced if name in below and session.present(name)})


def functions(session: Session) -> dict:
    """Per function: its own status, where it was defined, what it fails only through."""
    found = {}
    for name in session.expected():
        status = session.status(name)
        entry = {"status": status, "defined_in": session.submission.present.get(name),
                 "contracts_broken": sorted({o.contract for o in session.all()
                                             if o.function == name and o.contract})}
        if status == "pass":
            entry["fails_only_through"] = through(session, name)
        found[name] = entry
    return found


def _function_line(session: Session, name: str, entry: dict) -> str:
    where = f"  (defined in {entry['defined_in']})" if entry.get("defined_in") else ""
    if entry["status"] == "missing":
        return f"  {name:<20} MISSING: the module defines no {name}"
    if entry["status"] == "fail":
        return f"  {name:<20} FAIL{where}"
    below = entry.get("fails_only_through")
    if below:
        return (f"  {name:<20} correct on its own; fails only through your "
                f"{' and '.join(below)}{where}")
    return f"  {name:<20} pass{where}"


def loading_notes(session: Session) -> list:
    """What did not run of a notebook: cells that raised (skipped, the rest ran) and cells that
    are not Python."""
    notes = [c.note for c in session.submission.program.chunks if c.note]
    for function, keys in sorted(session.extra_keys().items()):
        notes.append(f"{function} returns keys beyond the documented ones: "
                     f"{', '.join(sorted(keys))} (allowed, EQUATIONS.md: Gradient dicts)")
    for cell in session.submission.skipped:
        # What the worker says of a cell is the submission's data: text, capped, never trusted.
        where, raised, text, name = (str(cell.get(k, ""))[:200] for k in
                                     ("where", "raised", "text", "name"))
        line = f", line {cell['line']}" if isinstance(cell.get("line"), int) else ""
        if raised == "ModuleNotFoundError" and isinstance(cell.get("name"), str) and name:
            notes.append(f"{where}{line} imports {name}, which is not installed where "
                         f"submissions run: remove the import if the functions do not need it, "
                         f"or install it beside rnnspec (pip install {name.split('.')[0]}) "
                         f"(skipped; the other cells ran)")
            continue
        notes.append(f"{where}{line} raised {raised}: {text} (skipped; the other cells ran)")
    return notes


def table(session: Session) -> str:
    outcomes = session.all()
    summary = functions(session)
    lines = [f"rnnspec verdict for {session.target}: "
             f"{'PASS' if verdict_passes(session) else 'FAIL'}",
             f"  profile {session.profile}, "
             f"{'sandboxed' if session.sandboxed else 'NOT SANDBOXED (bubblewrap not found)'}",
             f"  conventions: {session.convention_note}",
             *[f"  note: {line}" for line in loading_notes(session)], ""]
    lines += [_function_line(session, name, entry) for name, entry in summary.items()]
    lines += ["", f"  {'check':<38} {'status':<34} examples"]
    for o in outcomes:
        if o.status == "absent":
            continue
        status = MARK[o.status] + (f" by {o.blocked_by}" if o.blocked_by else "")
        if o.contract:
            status += f" (contract {o.contract})"
        if o.status == "pass" and [n for n in o.replaced if session.present(n)]:
            status += f" (with the reference's {', '.join(o.replaced)})"
        found = f"{o.examples}" + (f" (failed at {o.detected_at})" if o.detected_at else "")
        lines.append(f"  {o.check:<38} {status:<34} {found if o.status != 'missing' else ''}")
    broken = [f"{name}: {', '.join(entry['contracts_broken'])}"
              for name, entry in summary.items() if entry["contracts_broken"]]
    lines += ["", "  contracts broken: " + ("; ".join(broken) if broken else "none")]
    failing = [name for name, entry in summary.items() if entry["status"] == "fail"]
    if failing:
        lines += ["", "Failures (one per function, the most informative first):"]
    for name in failing:
        own = [o for o in outcomes if o.function == name and o.status in ("fail", "not run")]
        first = min(own, key=_informativeness)
        lines.append(f"- {name}: {first.check}: {first.statement}")
        lines += ["    " + line for line in first.message.splitlines()]
        if first.traceback:
            lines += ["    " + line for line in first.traceback.splitlines()]
        others = [o.check for o in own if o is not first]
        if others:
            lines.append(f"    also seen by: {', '.join(others)}")
        if first.status == "fail":
            lines.append(f"    reproduce: {reproduction(session, first)}")
    if any(o.status == "not run" for o in outcomes):
        lines += ["", f"Too slow: the verdict's time budget of {session.budget:g} s was spent "
                      f"before every check had run; the checks not run count as failing."]
    output = session.submission.output()
    if output:
        lines += ["", "The submission's own output (stdout and stderr, truncated):"]
        lines += ["  | " + line for line in output.splitlines()[:40]]
    return "\n".join(lines)


def _informativeness(outcome: Outcome) -> tuple:
    """Smaller first: a diagnosed cause, then a case Hypothesis shrank, then a wrong value, then
    the shortest failing case."""
    diagnosed = "likely cause" in outcome.message
    return (not diagnosed, not outcome.shrunk, outcome.ratio is None, outcome.status != "fail",
            len(outcome.case))


def as_json(session: Session) -> dict:
    return {
        "implementation": session.target,
        "conventions": {"functions": {f: session.convention.of(f).name
                                      for f in session.expected()},
                        "how": list(session.convention.notes)},
        "profile": session.profile,
        "passed": verdict_passes(session),
        "sandboxed": session.sandboxed,
        "notes": loading_notes(session),
        "functions": functions(session),
        "present": presence(session),
        "absent": [cell.title for cell in cells.cells()
                   if not any(f in session.expected() for f in cell.own_functions)],
        "checks": [dict(asdict(o), reproduce=reproduction(session, o)
                        if o.status == "fail" else None) for o in session.all()
                   if o.status != "absent"],
    }
