"""Grade a folder of submissions: every verdict from a judge that runs no submission code.

    rnnspec grade submissions/ [--jobs 2] [--report-json grades.json]

A submission is a ``.py`` file in the folder that defines one of the judged functions, a notebook
in the folder, or a subfolder (its one notebook or module, with the helpers beside it). A ``.py``
file that another file of the folder imports (``rnn_utils.py`` beside notebooks), or that defines
none of the judged functions, is a helper, not graded.

``--jobs`` judge processes import the suite once and each judge many submissions in turn; each
submission runs in fresh sandboxed workers of its own, so nothing one does (exiting, looping,
writing files, printing a fake verdict) can touch its own verdict or another's. Grading refuses to
run where the sandbox does not work, unless ``--unsandboxed`` says to.
"""

from __future__ import annotations

import argparse
import ast
import json
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from rnnspec import judge, sandbox
from rnnspec.properties.registry import FUNCTIONS
from rnnspec.source import imported_names


def defines_judged_functions(path: Path) -> bool:
    """Whether a .py file defines any judged function (read as text, never executed)."""
    try:
        tree = ast.parse(path.read_bytes())
    except (SyntaxError, ValueError, OSError):
        return True  # a broken file is a submission that does not load, not a helper
    return any(isinstance(node, ast.FunctionDef) and node.name in FUNCTIONS
               for node in ast.walk(tree))


def submissions(folder: Path) -> list:
    """The folder's submissions; a .py another file imports, or that defines no judged function,
    is a helper."""
    entries = [p for p in sorted(folder.iterdir())
               if not p.name.startswith(".") and p.name != "__pycache__"]
    files = [p for p in entries if p.suffix in (".py", ".ipynb") and p.is_file()]
    helpers = imported_names(files)
    return [p for p in entries if p.is_dir() or p.suffix == ".ipynb" or (
        p.suffix == ".py" and p.stem not in helpers and defines_judged_functions(p))]


def _judge(path: Path, options: argparse.Namespace, sandboxed: bool) -> dict:
    started = time.perf_counter()
    result, _ = judge.verdict(str(path), options, sandboxed=sandboxed)
    result.update(submission=str(path), seconds=round(time.perf_counter() - started, 2))
    return result


def failing_functions(result: dict) -> list:
    """The functions that fail on their own (not only blocked by another), then the missing."""
    failing = list(dict.fromkeys(c["function"] for c in result.get("checks", [])
                                 if c["status"] in ("fail", "not run")))
    missing = [f"{f} missing" for f, here in result.get("present", {}).items() if not here]
    return failing + missing


def summary(result: dict) -> str:
    if result.get("passed"):
        return "PASS"
    if "load_error" in result:
        return f"does not load: {result['load_error']}"
    if any(c["status"] == "not run" for c in result.get("checks", [])):
        return "FAIL (too slow): " + ", ".join(failing_functions(result))
    return "FAIL: " + ", ".join(failing_functions(result))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", type=Path)
    parser.add_argument("--jobs", type=int, default=2, help="judge processes (default 2)")
    parser.add_argument("--report-json", type=Path, metavar="PATH",
                        help="write every verdict as JSON to PATH")
    parser.add_argument("--unsandboxed", action="store_true",
                        help="grade even where bubblewrap does not work (each submission still "
                             "runs in worker processes of its own, with limits)")
    judge.add_options(parser)


def _progress(total: int):
    """A progress bar on a terminal; nothing elsewhere (each verdict prints its own line)."""
    if not sys.stderr.isatty():
        return None
    from tqdm import tqdm
    return tqdm(total=total, unit="submission", file=sys.stderr, dynamic_ncols=True)


def command(args: argparse.Namespace) -> int:
    if not args.folder.is_dir():
        print(f"rnnspec: {args.folder} is not a folder", file=sys.stderr)
        return 2
    sandboxed = sandbox.bwrap_works()
    if not sandboxed and not args.unsandboxed:
        print("rnnspec: the sandbox (bubblewrap) does not work here, so a submission could read "
              "or write files the grader can reach; install bubblewrap, or pass --unsandboxed",
              file=sys.stderr)
        return 2
    paths = submissions(args.folder)
    if not paths:
        print(f"rnnspec: no submissions (.py, .ipynb or folders) in {args.folder}",
              file=sys.stderr)
        return 2
    width = max(len(str(p)) for p in paths)
    results, bar = [], _progress(len(paths))
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = [pool.submit(_judge, p, args, sandboxed) for p in paths]
        for future in as_completed(futures):
            result = future.result()
            results.append(result)
            line = f"{result['submission']:<{width}}  {result['seconds']:6.1f} s  {summary(result)}"
            if bar is not None:
                bar.write(line)
                bar.update()
                bar.set_postfix(running=min(args.jobs, len(paths) - len(results)))
            else:
                print(line, flush=True)
    if bar is not None:
        bar.close()
    results.sort(key=lambda r: r["submission"])
    passed = sum(bool(r.get("passed")) for r in results)
    print(f"\n{passed} of {len(results)} submissions pass"
          + ("" if sandboxed else " (not sandboxed)"))
    if args.report_json:
        args.report_json.write_text(json.dumps(results, indent=2) + "\n")
    return 0
