"""Hypothesis settings: a derandomized profile for CI and grading, a searching one for audits.

``ci`` is deterministic (derandomize, no example database), so the same implementation always gets
the same verdict, and small enough to answer in seconds. ``thorough`` draws fresh examples every run
and remembers failures in the example database, for long searches. Neither has a deadline: a slow
implementation is not a wrong one, and the per-call timeout deals with hangs.

``FUZZ`` is one round of a fuzz campaign (``rnnspec fuzz``): fresh examples, the campaign's own
example database (``campaign`` registers it under a name a Session can be opened with; the
database cannot be a constant here, since failures of one submission must not replay on
another), no explicit examples (``rnnspec check`` runs those) and no health checks.
"""

from __future__ import annotations

from hypothesis import HealthCheck, Phase, Verbosity, settings


def _no_local_constants() -> None:
    """Draw no constants from the modules this process happens to have imported.

    Hypothesis (6.131 and later) mixes literals found in the "local" modules of ``sys.modules``
    into generation, cached at first use. A judge's draws would then depend on what else its
    process imported (a pytest run, a pool process, a Dask worker, the reproduction line's fresh
    process): the same submission could get another verdict. A verdict must depend on the
    submission and the seed alone, so the (private) collector is made to return its initial,
    empty set; on older Hypothesis there is nothing to do.
    """
    try:
        from hypothesis.internal.conjecture import providers
    except ImportError:  # pragma: no cover - a Hypothesis without the providers module
        return
    if hasattr(providers, "_get_local_constants") and hasattr(providers, "_local_constants"):
        empty = providers._local_constants
        providers._get_local_constants = lambda: empty


_no_local_constants()  # on import: before any draw of the process

# One failure per check is reported (the smallest), so report_multiple_bugs is off.
_COMMON = dict(deadline=None, verbosity=Verbosity.quiet, print_blob=False,
               report_multiple_bugs=False,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.differing_executors])

# No "explain" phase: the suite prints its own account of a failure, and explaining costs seconds.
PROFILES = {
    "ci": settings(max_examples=20, derandomize=True, database=None,
                   phases=[Phase.explicit, Phase.generate, Phase.shrink], **_COMMON),
    "thorough": settings(max_examples=1000, derandomize=False,
                         phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target,
                                 Phase.shrink], **_COMMON),
}
DEFAULT = "ci"

FUZZ = settings(max_examples=500, derandomize=False, database=None,
                phases=[Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
                **dict(_COMMON, suppress_health_check=list(HealthCheck)))
CAMPAIGNS: dict = {}  # name -> FUZZ with a campaign's database, registered in its processes


def campaign(name: str, database, max_examples: int = FUZZ.max_examples) -> str:
    """Register ``FUZZ`` with ``database`` (a Hypothesis ExampleDatabase) as profile ``name``."""
    CAMPAIGNS[name] = settings(FUZZ, database=database, max_examples=max_examples)
    return name


def register() -> None:
    """Make the profiles known to Hypothesis by name (for the suite's own tests)."""
    for name, profile in PROFILES.items():
        settings.register_profile(name, profile)


def get(name: str) -> settings:
    if name in CAMPAIGNS:
        return CAMPAIGNS[name]
    if name not in PROFILES:
        raise ValueError(f"unknown profile {name!r}; choose one of {', '.join(PROFILES)}")
    return PROFILES[name]
