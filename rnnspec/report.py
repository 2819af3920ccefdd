"""The verdict: a table of function × check, the failures with their reproductions, and JSON."""

from __future__ import annotations

import shlex
from dataclasses import asdict

from rnnspec.properties.registry import FUNCTIONS
from rnnspec.run import Session

MARK = {"pass": "pass", "fail": "FAIL", "blocked": "blocked", "missing": "missing",
        "not run": "not run"}


def reproduction(session: Session, check_id: str, case: str) -> str:
    """A command that replays one failing example in a fresh process."""
    parts = ["rnnspec", "replay", f"--impl={session.target}", check_id, case]
    if session.convention_forced:
        parts.insert(3, f"--convention={session.convention.name}")
    return " ".join(shlex.quote(p) for p in parts)


def presence(session: Session) -> dict:
    return {name: session.present(name) for name in FUNCTIONS}


def verdict_passes(session: Session) -> bool:
    return all(presence(session).values()) and all(o.ok for o in session.all())


def contract_statuses(session: Session) -> dict:
    """Per contract id: fail if any call broke it, pass if it was checked, else not run / n/a."""
    statuses = {c.id: ("pass" if session.impl.seen.get(c.id, 0) + session.twice.seen.get(c.id, 0)
                       else "not run") for c in session.impl.contracts}
    statuses.setdefault("deterministic",
                        "pass" if session.twice.seen.get("deterministic") else "not run")
    for outcome in session.outcomes.values():
        if outcome.contract:
            statuses[outcome.contract] = "FAIL"
    return statuses


def loading_notes(session: Session) -> list:
    """What did not run of a notebook: cells that raised (skipped, the rest ran) and cells that
    are not Python."""
    notes = [c.note for c in session.submission.program.chunks if c.note]
    for cell in session.submission.skipped:
        line = f", line {cell['line']}" if cell.get("line") else ""
        notes.append(f"{cell.get('where')}{line} raised {cell.get('raised')}: "
                     f"{cell.get('text', '')} (skipped; the other cells ran)")
    return notes


def table(session: Session) -> str:
    outcomes = session.all()
    lines = [f"rnnspec verdict for {session.target}: "
             f"{'PASS' if verdict_passes(session) else 'FAIL'}",
             f"  {session.convention.name} convention ({session.convention_note}), "
             f"profile {session.profile}, "
             f"{'sandboxed' if session.sandboxed else 'NOT SANDBOXED (bubblewrap not found)'}",
             *[f"  note: {line}" for line in loading_notes(session)], ""]
    lines.append(f"  {'check':<38} {'status':<34} examples")
    for name, here in presence(session).items():
        lines.append(f"  {name + '.present':<38} {'pass' if here else 'MISSING':<34}")
        for o in outcomes:
            if o.function != name:
                continue
            status = MARK[o.status] + (f" by {o.blocked_by}" if o.blocked_by else "")
            if o.contract:
                status += f" (contract {o.contract})"
            found = f"{o.examples}" + (f" (failed at {o.detected_at})" if o.detected_at else "")
            lines.append(f"  {o.check:<38} {status:<34} {found if o.status != 'missing' else ''}")
    contracts = contract_statuses(session)
    lines += ["", "  contracts: " + ", ".join(f"{k} {v}" for k, v in contracts.items())]
    failures = [o for o in outcomes if o.status == "fail"]
    if failures:
        lines += ["", "Failures (root causes; checks blocked by them are not repeated):"]
        shown = {}
        for o in failures:
            key = (o.function, o.contract or o.message.splitlines()[0])
            if key in shown:
                lines.append(f"- {o.check}: fails the same way as {shown[key]}")
                continue
            shown[key] = o.check
            lines.append(f"- {o.check}: {o.statement}")
            lines += ["    " + line for line in o.message.splitlines()]
            if o.traceback:
                lines += ["    " + line for line in o.traceback.splitlines()]
            lines.append(f"    reproduce: {reproduction(session, o.check, o.case)}")
    if any(o.status == "not run" for o in outcomes):
        lines += ["", f"Too slow: the verdict's time budget of {session.budget:g} s was spent "
                      f"before every check had run; the checks not run count as failing."]
    output = session.submission.output()
    if output:
        lines += ["", "The submission's own output (stdout and stderr, truncated):"]
        lines += ["  | " + line for line in output.splitlines()[:40]]
    return "\n".join(lines)


def as_json(session: Session) -> dict:
    return {
        "implementation": session.target,
        "convention": session.convention.name,
        "profile": session.profile,
        "passed": verdict_passes(session),
        "sandboxed": session.sandboxed,
        "notes": loading_notes(session),
        "present": presence(session),
        "contracts": contract_statuses(session),
        "checks": [dict(asdict(o), reproduce=reproduction(session, o.check, o.case)
                        if o.status == "fail" else None) for o in session.all()],
    }
