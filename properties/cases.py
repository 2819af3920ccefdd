"""The inputs properties run on, and the Hypothesis strategies that draw them.

A case is a handful of numbers (sizes, a seed, magnitudes), not arrays: its arrays are generated
from the seed, so a case prints on one line, replays in a fresh process from that line, and shrinks
the way a person would simplify it (smaller sizes, seed 0, magnitude 1). The values come from a
normal distribution, so no two entries repeat and no structure hides a bug.

Magnitudes are drawn log-uniformly over several decades: small weights keep tanh linear (where a
missing (1 − a²) hides), large ones saturate it and push logits into the thousands (where overflow,
clipping and unstable softmax show).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from functools import cached_property

import numpy as np
from hypothesis import strategies as st

MAX_SIZE = 8
MAX_STEPS = 8


class Spec:
    """A case as ``key=value,...`` and back: the reproduction command line carries it."""

    def spec(self) -> str:
        return ",".join(f"{k}={v!r}" for k, v in asdict(self).items())

    @classmethod
    def from_spec(cls, text: str):
        kinds = {f.name: f.type for f in fields(cls)}
        values = dict(item.split("=", 1) for item in text.split(",") if item)
        return cls(**{k: (int if kinds[k] in (int, "int") else float)(v)
                      for k, v in values.items()})

    @classmethod
    def fits(cls, text: str) -> bool:
        """Whether ``text`` names only this kind's fields."""
        names = {item.split("=", 1)[0] for item in text.split(",") if item}
        return names <= {f.name for f in fields(cls)}


@dataclass(frozen=True)
class Case(Spec):
    """One RNN problem: sizes, a seed, and the magnitude of each group of arrays."""

    n_x: int = 3
    n_a: int = 4
    n_y: int = 2
    m: int = 5
    T_x: int = 3
    seed: int = 0
    weights: float = 0.5  # Wax, Waa, ba: how hard tanh is driven
    inputs: float = 1.0  # x and a0
    logits: float = 1.0  # Wya and by: the size of the softmax's logits
    upstream: float = 1.0  # da, the gradient arriving from outside

    def __str__(self) -> str:
        return "Case(" + ", ".join(
            f"{f.name}={getattr(self, f.name):g}" for f in fields(self)
        ) + ")"

    def rng(self, stream: int) -> np.random.Generator:
        """An independent generator per use, so adding a use never changes the others' values."""
        return np.random.default_rng([self.seed, stream])

    @cached_property
    def parameters(self) -> dict:
        r = self.rng(0)
        w, o = self.weights, self.logits
        return {"Wax": w * r.standard_normal((self.n_a, self.n_x)),
                "Waa": w * r.standard_normal((self.n_a, self.n_a)),
                "Wya": o * r.standard_normal((self.n_y, self.n_a)),
                "ba": w * r.standard_normal((self.n_a, 1)),
                "by": o * r.standard_normal((self.n_y, 1))}

    @cached_property
    def x(self) -> np.ndarray:
        return self.inputs * self.rng(1).standard_normal((self.n_x, self.m, self.T_x))

    @cached_property
    def a0(self) -> np.ndarray:
        return self.inputs * self.rng(2).standard_normal((self.n_a, self.m))

    @cached_property
    def da(self) -> np.ndarray:
        return self.upstream * self.rng(3).standard_normal((self.n_a, self.m, self.T_x))

    def random_like(self, stream: int, shape) -> np.ndarray:
        """Further random arrays (directions, second upstream gradients), stream ≥ 10."""
        return self.rng(10 + stream).standard_normal(shape)

    def but(self, **changes) -> Case:
        return replace(self, **changes)


def log_uniform(low_exponent: float, high_exponent: float) -> st.SearchStrategy[float]:
    """10**u for u uniform in [low, high], rounded to 3 significant digits for readable cases.

    Shrinks towards u = 0, that is magnitude 1 (or the nearest end), the simplest magnitude.
    """
    return st.floats(low_exponent, high_exponent).map(lambda u: float(f"{10.0 ** u:.3g}"))


@st.composite
def cases(draw, max_size: int = MAX_SIZE, max_steps: int = MAX_STEPS, saturating: bool = True):
    """Sizes independent (square and non-square both occur), magnitudes over several decades."""
    size = st.integers(1, max_size)
    return Case(
        n_x=draw(size), n_a=draw(size), n_y=draw(size), m=draw(size),
        T_x=draw(st.integers(1, max_steps)),
        seed=draw(st.integers(0, 2**16)),
        weights=draw(log_uniform(-2, 2.5 if saturating else 0.3)),
        inputs=draw(log_uniform(-1, 1)),
        logits=draw(log_uniform(-1, 3)),
        upstream=draw(log_uniform(-3, 3)),
    )


# Inputs that reveal each bug class, tried on every run before the random ones. Each line says
# which bugs it is for; a bug invisible on one of them is visible on another.
INFORMATIVE = (
    Case(),  # all sizes distinct, m, T_x ≥ 2, tanh unsaturated: transposes, mean-vs-sum, carries
    Case(n_x=4, n_a=4, n_y=4, m=4, T_x=2, seed=1),  # square: transposes that type-check
    Case(n_x=2, n_a=3, n_y=3, m=6, T_x=4, seed=2, weights=0.05),  # weak weights: tanh linear
    Case(n_x=3, n_a=2, n_y=2, m=3, T_x=3, seed=3, weights=8.0, logits=400.0),  # saturated tanh,
    # huge logits
    Case(n_x=1, n_a=1, n_y=1, m=1, T_x=1, seed=4),  # every size 1: shape handling
    Case(n_x=2, n_a=3, n_y=2, m=1, T_x=2, seed=5),  # m = 1
    Case(n_x=3, n_a=2, n_y=4, m=3, T_x=1, seed=6),  # T_x = 1
    Case(n_x=5, n_a=1, n_y=2, m=4, T_x=3, seed=7),  # n_a = 1
    Case(n_x=3, n_a=5, n_y=2, m=10, T_x=4, seed=8),  # the course's own sizes
    Case(n_x=2, n_a=3, n_y=2, m=2, T_x=2, seed=9, weights=300.0, logits=1000.0),  # |z| ~ 1e3:
    # exp(z) overflows in a hand-written tanh, logits ~1e3 overflow a softmax without the shift
)


@dataclass(frozen=True)
class Logits(Spec):
    """A softmax input: columns of ``scale``-sized logits, each column shifted by up to
    ``spread``."""

    n: int = 3
    m: int = 4
    seed: int = 0
    scale: float = 1.0
    spread: float = 0.0

    def __str__(self) -> str:
        return (f"Logits(n={self.n}, m={self.m}, seed={self.seed}, scale={self.scale:g}, "
                f"spread={self.spread:g})")

    @cached_property
    def u(self) -> np.ndarray:
        r = np.random.default_rng([self.seed, 0])
        offsets = self.spread * np.linspace(-1.0, 1.0, self.m)[None, :] if self.m > 1 else 0.0
        return self.scale * r.standard_normal((self.n, self.m)) + offsets

    def random_like(self, stream: int, shape) -> np.ndarray:
        return np.random.default_rng([self.seed, 10 + stream]).standard_normal(shape)


@st.composite
def logits(draw, max_scale_exponent: float = 3.0, max_spread_exponent: float = 3.5):
    return Logits(n=draw(st.integers(1, MAX_SIZE)), m=draw(st.integers(1, MAX_SIZE)),
                  seed=draw(st.integers(0, 2**16)),
                  scale=draw(log_uniform(-2, max_scale_exponent)),
                  spread=draw(st.one_of(st.just(0.0), log_uniform(0, max_spread_exponent))))


INFORMATIVE_LOGITS = (
    Logits(),
    Logits(n=4, m=1, seed=1, scale=2.0),
    Logits(n=3, m=5, seed=2, scale=1.0, spread=1000.0),  # columns ~1000 apart: one global max fails
    Logits(n=5, m=3, seed=3, scale=1000.0),  # logits of ±1e3: exp overflows without the shift
    Logits(n=1, m=1, seed=4),
)
