"""Grade a folder of submissions in parallel, each judged in a process of its own.

    rnnspec grade submissions/ [--jobs 2] [--report-json grades.json]

Every ``.py`` and ``.ipynb`` file below the folder is one submission. A separate process per
submission means nothing one does (globals, monkey-patching NumPy, an interruption it swallows,
a crash of the interpreter) can touch another's verdict; ``--wall-limit`` bounds each process.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from rnnspec import profiles
from rnnspec.sandbox import EXIT_UNINTERRUPTIBLE

ROOT = Path(__file__).resolve().parent.parent


def submissions(folder: Path) -> list:
    return sorted(p for p in folder.rglob("*") if p.suffix in (".py", ".ipynb") and p.is_file()
                  and ".ipynb_checkpoints" not in p.parts)


def judge(path: Path, profile: str, wall_limit: float) -> dict:
    """The JSON verdict of one submission, from a fresh ``rnnspec check`` process."""
    started = time.perf_counter()
    command = [sys.executable, "-m", "rnnspec", "check", str(path.resolve()), "--json",
               "--profile", profile]
    try:
        run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True,
                             timeout=wall_limit)
    except subprocess.TimeoutExpired:
        verdict = {"passed": False, "error": f"no verdict within {wall_limit:g} s"}
    else:
        lines = run.stdout.strip().splitlines()
        try:
            verdict = json.loads(lines[-1]) if lines else {}
        except ValueError:
            verdict = {}
        if not verdict:
            why = ("swallows every interruption (hang)" if run.returncode == EXIT_UNINTERRUPTIBLE
                   else f"the checking process ended with status {run.returncode}")
            verdict = {"passed": False, "error": why,
                       "stderr": run.stderr.strip().splitlines()[-1:] }
    verdict.update(submission=str(path), seconds=round(time.perf_counter() - started, 2))
    return verdict


def summary(verdict: dict) -> str:
    if verdict.get("passed"):
        return "PASS"
    if "load_error" in verdict:
        return f"does not load: {verdict['load_error']}"
    if "error" in verdict:
        return verdict["error"]
    failing = [c["check"] for c in verdict.get("checks", []) if c["status"] == "fail"]
    missing = [f for f, here in verdict.get("present", {}).items() if not here]
    return "FAIL: " + ", ".join(([f"{f} missing" for f in missing]) + failing[:4]) + (
        " …" if len(failing) > 4 else "")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", type=Path)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--profile", choices=tuple(profiles.PROFILES), default=profiles.DEFAULT)
    parser.add_argument("--wall-limit", type=float, default=300.0,
                        help="seconds one submission's whole verdict may take (default 300)")
    parser.add_argument("--report-json", type=Path)


def command(args: argparse.Namespace) -> int:
    paths = submissions(args.folder)
    if not paths:
        print(f"rnnspec: no .py or .ipynb files under {args.folder}", file=sys.stderr)
        return 2
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        verdicts = list(pool.map(lambda p: judge(p, args.profile, args.wall_limit), paths))
    width = max(len(str(v["submission"])) for v in verdicts)
    for verdict in verdicts:
        print(f"{verdict['submission']:<{width}}  {verdict['seconds']:6.1f} s  {summary(verdict)}")
    passed = sum(bool(v.get("passed")) for v in verdicts)
    print(f"\n{passed} of {len(verdicts)} submissions pass")
    if args.report_json:
        args.report_json.write_text(json.dumps(verdicts, indent=2) + "\n")
    return 0

