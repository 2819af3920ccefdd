"""Grade a folder of submissions: every verdict from a judge that runs no submission code.

    rnnspec grade submissions/ [--jobs 2] [--jsonl grades.jsonl] [--report-json grades.json]
    rnnspec grade submissions/ --scheduler tcp://host:8786      # the judges on a Dask cluster

A submission is a ``.py`` file in the folder that defines one of the judged functions, a notebook
in the folder, or a subfolder (its one notebook or module, with the helpers beside it). A ``.py``
file that another file of the folder imports (``rnn_utils.py`` beside notebooks), or that defines
none of the judged functions, is a helper, not graded.

``--jobs`` judge processes import the suite once and each judge many submissions in turn; each
submission runs in fresh sandboxed workers of its own, so nothing one does (exiting, looping,
writing files, printing a fake verdict) can touch its own verdict or another's. Grading refuses to
run where the sandbox does not work, unless ``--unsandboxed`` says to. With ``--scheduler`` the
judges are the worker processes of a Dask cluster instead (``rnnspec.distributed``); they are
trusted like the local ones, and the submissions still run only in sandboxed workers of their own.

``--jsonl`` appends each verdict to a JSON Lines file as soon as it is known, with the
submission's content hash (``content_hash``): a crash loses nothing already judged, and a rerun
with the same file judges only what is not in it yet.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import os
import socket
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from rnnspec import __version__, judge, sandbox
from rnnspec.properties.registry import FUNCTIONS
from rnnspec.source import imported_names

# The options that can change a verdict, hence part of a submission's content hash.
VERDICT_OPTIONS = ("profile", "convention", "budget", "call_timeout", "memory")


class Unavailable(Exception):
    """The judges cannot judge: Dask missing, the scheduler unreachable, a judge without a
    sandbox or without the folder. The run ends; the verdicts written so far stay."""


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


def content_hash(path: Path, helpers: list, options) -> str:
    """sha256 of what a verdict depends on: the submission's bytes (a folder's: every file's
    relative name and bytes), the helper ``.py`` files beside a file submission (names and
    bytes), and unless ``options`` is None the rnnspec version and the options that change
    verdicts."""
    digest = hashlib.sha256()

    def add(name: str, data: bytes) -> None:
        for part in (name.encode(), data):
            digest.update(len(part).to_bytes(8, "big"))
            digest.update(part)

    if path.is_dir():
        for file in sorted(p for p in path.rglob("*") if p.is_file()
                           and "__pycache__" not in p.parts and not p.name.startswith(".")):
            add(file.relative_to(path).as_posix(), file.read_bytes())
    else:
        add(path.name, path.read_bytes())
        for helper in helpers:
            add("helper:" + helper.name, helper.read_bytes())
    if options is not None:
        settings = {name: getattr(options, name, None) for name in VERDICT_OPTIONS}
        add("rnnspec", json.dumps({"version": __version__, **settings}, sort_keys=True).encode())
    return digest.hexdigest()


def judge_one(path: str, options: argparse.Namespace, sandboxed) -> dict:
    """One verdict, as JSON, with its wall and CPU seconds and where it was judged.

    ``sandboxed`` None decides here (a remote judge): sandboxed where bubblewrap works, and an
    error where it does not unless ``options.unsandboxed``."""
    if sandboxed is None:
        sandboxed = sandbox.bwrap_works()
        if not sandboxed and not getattr(options, "unsandboxed", False):
            raise RuntimeError(f"the sandbox (bubblewrap) does not work on judge "
                               f"{socket.gethostname()}; install it there, or pass --unsandboxed")
    if not Path(path).exists():
        raise FileNotFoundError(f"judge {socket.gethostname()} cannot see {path}: the folder "
                                f"must be at the same path on every machine")
    started, cpu = time.perf_counter(), time.thread_time()
    result, _ = judge.verdict(path, options, sandboxed=sandboxed)
    result.update(submission=path, seconds=round(time.perf_counter() - started, 2),
                  judge_cpu=round(time.thread_time() - cpu, 2), sandboxed=sandboxed,
                  judge=f"{socket.gethostname()}:{os.getpid()}")
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
    if "error" in result:
        return f"FAIL: {result['error']}"
    if any(c["status"] == "not run" for c in result.get("checks", [])):
        return "FAIL (too slow): " + ", ".join(failing_functions(result))
    return "FAIL: " + ", ".join(failing_functions(result))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", type=Path)
    parser.add_argument("--jobs", type=int, default=2,
                        help="local judge processes (default 2; not used with --scheduler)")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="judge on the Dask cluster whose scheduler is at ADDRESS "
                             "(tcp://host:8786); needs rnnspec[distributed], and the folder at "
                             "the same path on every machine")
    parser.add_argument("--jsonl", type=Path, metavar="PATH",
                        help="append each verdict to PATH as it is known (JSON Lines); a rerun "
                             "skips the submissions already there (same content hash)")
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


def judged_before(jsonl: Path) -> dict:
    """content hash -> verdict, from a JSON Lines file of an earlier run (a line cut short by a
    crash is ignored)."""
    found = {}
    if jsonl is None or not jsonl.is_file():
        return found
    with open(jsonl, encoding="utf-8") as lines:
        for line in lines:
            try:
                result = json.loads(line)
            except ValueError:
                continue
            if isinstance(result, dict) and isinstance(result.get("hash"), str):
                found[result["hash"]] = result
    return found


def judge_options(args: argparse.Namespace) -> argparse.Namespace:
    """Only what a judge needs (what crosses to a pool process or a Dask worker)."""
    return argparse.Namespace(**{name: getattr(args, name) for name in (
        *VERDICT_OPTIONS, "unsandboxed")})


def _local(paths: list, options: argparse.Namespace, jobs: int, sandboxed: bool):
    """Verdicts from a local pool of warm judges, as each finishes."""
    pool = ProcessPoolExecutor(max_workers=max(1, jobs))
    try:
        futures = {pool.submit(judge_one, str(p), options, sandboxed): p for p in paths}
        for future in as_completed(futures):
            try:
                yield future.result()
            except Exception as error:  # a judge process died: this verdict only, not the class
                yield {"submission": str(futures[future]), "passed": False, "seconds": 0.0,
                       "error": f"the judge failed ({type(error).__name__}: "
                                f"{str(error)[:200]})"}
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def command(args: argparse.Namespace) -> int:
    if not args.folder.is_dir():
        print(f"rnnspec: {args.folder} is not a folder", file=sys.stderr)
        return 2
    if args.scheduler:
        sandboxed = None  # each remote judge decides, and refuses without a sandbox
    else:
        sandboxed = sandbox.bwrap_works()
        if not sandboxed and not args.unsandboxed:
            print("rnnspec: the sandbox (bubblewrap) does not work here, so a submission could "
                  "read or write files the grader can reach; install bubblewrap, or pass "
                  "--unsandboxed", file=sys.stderr)
            return 2
    paths = submissions(args.folder)
    if not paths:
        print(f"rnnspec: no submissions (.py, .ipynb or folders) in {args.folder}",
              file=sys.stderr)
        return 2
    options = judge_options(args)
    helpers = [p for p in sorted(args.folder.iterdir())
               if p.suffix == ".py" and p.is_file() and p not in paths]
    hashes = {p: content_hash(p, helpers, options) for p in paths}
    before = judged_before(args.jsonl)
    results = [dict(before[hashes[p]], submission=str(p)) for p in paths if hashes[p] in before]
    todo = [p for p in paths if hashes[p] not in before]
    if results:
        print(f"{len(results)} of {len(paths)} submissions already judged in {args.jsonl} "
              f"(same content, version and options): skipped", flush=True)
    if args.scheduler:
        from rnnspec import cluster
        try:
            verdicts = cluster.judge(args.scheduler, todo, options)
        except Unavailable as error:
            print(f"rnnspec: {error}", file=sys.stderr)
            return 2
    else:
        verdicts = _local(todo, options, args.jobs, sandboxed)
    width = max(len(str(p)) for p in paths)
    bar = _progress(len(todo)) if todo else None
    stream = open(args.jsonl, "a", encoding="utf-8") if args.jsonl else None  # noqa: SIM115
    by_path = {str(p): hashes[p] for p in paths}
    try:
        for result in verdicts:
            result["hash"] = by_path[result["submission"]]
            results.append(result)
            if stream is not None:
                stream.write(json.dumps(result) + "\n")
                stream.flush()
            line = f"{result['submission']:<{width}}  {result['seconds']:6.1f} s  {summary(result)}"
            if bar is not None:
                bar.write(line)
                bar.update()
            else:
                print(line, flush=True)
    except Unavailable as error:  # what is written to --jsonl stays; a rerun goes on from it
        print(f"rnnspec: {error}", file=sys.stderr)
        return 2
    finally:
        if stream is not None:
            stream.close()
        if bar is not None:
            bar.close()
    results.sort(key=lambda r: r["submission"])
    passed = sum(bool(r.get("passed")) for r in results)
    unsandboxed = any(r.get("sandboxed") is False for r in results)
    print(f"\n{passed} of {len(results)} submissions pass"
          + (" (not sandboxed)" if unsandboxed else ""))
    if args.report_json:
        args.report_json.write_text(json.dumps(results, indent=2) + "\n")
    return 0
