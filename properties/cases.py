"""The inputs properties run on, and the Hypothesis strategies that draw them.

A case is a handful of numbers (sizes, a seed, magnitudes), not arrays: its arrays are generated
from the seed, so a case prints on one line, replays in a fresh process from that line, and shrinks
the way a person would simplify it (smaller sizes, seed 0, magnitude 1). The values come from a
normal distribution, so no two entries repeat and no structure hides a bug.

Magnitudes are drawn log-uniformly over several decades: small weights keep tanh linear (where a
missing (1 − a²) hides), large ones saturate it and push logits into the thousands (where overflow,
clipping and unstable softmax show).

Some bugs hide from every such input, so a case can also ask for (each rarely in the draws, always
in some informative case):
- a size past 8 (a sequence of 24 steps, a vocabulary of 32 classes, a batch of 16): a
  backward truncated after 10 steps, a forward capped at 10 steps, a softmax that keeps the 8
  largest classes;
- exact zeros (``zeros``): whole weight matrices (zero initialisation), single entries, a0, biases,
  zero-padded sequences, upstream gradients that are zero but at the last step: a gradient skipped
  when a weight is zero, a forward that treats a zero column as padding;
- other dtypes (``dtype``): float32 everywhere, float32 data with float64 parameters, an integer
  one-hot x: a gradient allocated with ``np.zeros_like(x)``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from functools import cache, cached_property

import numpy as np
from hypothesis import strategies as st

MAX_SIZE = 8
MAX_STEPS = 8
# Past the usual sizes: one size of a case in LARGE_ONE_IN is drawn from 9 to LARGE_SIZE.
LARGE_SIZE = 24
LARGE_ONE_IN = 20
# What ``zeros`` may name, '+'-joined (see Case.zeros). Each is drawn in one case in ZEROS_ONE_IN.
PARAMETER_NAMES = ("Wax", "Waa", "Wya", "ba", "by")
ZERO_TOKENS = PARAMETER_NAMES + ("a0", "sparse", "pad", "da")
ZEROS_ONE_IN = 10
# The input dtypes a case may ask for (see Case.dtype); the three others are drawn in DTYPE_ONE_IN.
DTYPES = ("float64", "float32", "mixed", "onehot")
DTYPE_ONE_IN = 8


def frozen(value):
    """``value`` with every array in it read-only: a case's arrays, and what is derived from them
    (``Spec.derived``), are shared by every check and, replayed (``rnnspec.drawn``), by every
    verdict of the process, so no check may write into them."""
    if isinstance(value, np.ndarray):
        value.setflags(write=False)
    elif isinstance(value, (tuple, list)):
        for item in value:
            frozen(item)
    elif isinstance(value, dict):
        for item in value.values():
            frozen(item)
    return value


class Derived:
    """A case that keeps what is derived from it."""

    def derived(self, key, make):
        """``make()``, computed once per case and ``key``: what the suite computes from a case
        alone (the oracle's values, their bounds, the caches it builds) is the same for every
        submission, and a replayed case (``rnnspec.drawn``) serves every verdict of a process.
        What ``make`` returns is shared, so its arrays must be read-only (:func:`frozen`)."""
        kept = self.__dict__.setdefault("_derived", {})  # beside the fields: not compared
        if key not in kept:
            kept[key] = make()
        return kept[key]


class Spec(Derived):
    """A case as ``key=value,...`` and back: the reproduction command line carries it."""

    def spec(self) -> str:
        """Every number; a text field only when it is not its default (shorter lines)."""
        defaults = {f.name: f.default for f in fields(self)}
        return ",".join(f"{k}={v!r}" for k, v in asdict(self).items()
                        if not isinstance(v, str) or v != defaults[k])

    @classmethod
    def from_spec(cls, text: str):
        kinds = {f.name: f.type for f in fields(cls)}
        values = dict(item.split("=", 1) for item in text.split(",") if item)

        def parse(kind, value: str):
            if kind in (str, "str"):
                return value.strip("'\"")
            return (int if kind in (int, "int") else float)(value)

        return cls(**{k: parse(kinds[k], v) for k, v in values.items()})

    @classmethod
    def fits(cls, text: str) -> bool:
        """Whether ``text`` names only this kind's fields."""
        names = {item.split("=", 1)[0] for item in text.split(",") if item}
        return names <= {f.name for f in fields(cls)}


@dataclass(frozen=True)
class Case(Spec):
    """One RNN problem: sizes, a seed, the magnitude of each group of arrays, exact zeros, dtype.

    ``zeros`` is a '+'-joined set of ZERO_TOKENS: a parameter's name or ``a0`` makes that whole
    array zero; ``sparse`` zeroes about a quarter of the entries of every parameter; ``pad`` pads
    the sequences with zero columns at the end (example j has its own length; the last example is
    at most half its length, so some column of x⟨0⟩ is zero when T_x = 1); ``da`` makes the
    upstream gradient zero at every step but the last (a loss on the last output only).

    ``dtype``: ``float64`` (the documented contract); ``float32`` (every array float32; the suite's
    caches then hold float32 states, as a float32 forward would); ``mixed`` (x, a0 and da float32,
    the parameters float64); ``onehot`` (x an integer one-hot array, the rest float64).
    """

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
    zeros: str = ""
    dtype: str = "float64"

    def __post_init__(self):
        unknown = set(self.tokens) - set(ZERO_TOKENS)
        if unknown or self.dtype not in DTYPES:
            raise ValueError(f"zeros may name {', '.join(ZERO_TOKENS)} (got {self.zeros!r}); "
                             f"dtype is one of {', '.join(DTYPES)} (got {self.dtype!r})")

    def __str__(self) -> str:  # kept: every comparison's message names its case
        return self.derived("str", self._text)

    def _text(self) -> str:
        shown = [f"{f.name}={getattr(self, f.name):g}" for f in fields(self)
                 if f.type in (int, float, "int", "float")]
        shown += [f"{name}={getattr(self, name)!r}" for name, default in
                  (("zeros", ""), ("dtype", "float64")) if getattr(self, name) != default]
        return "Case(" + ", ".join(shown) + ")"

    @property
    def tokens(self) -> tuple:
        return tuple(t for t in self.zeros.split("+") if t)

    # --- dtypes: which each array has, and the least precise one each output may have --------

    @property
    def data_dtype(self) -> np.dtype:
        """x (unless one-hot), a0 and da."""
        return np.dtype(np.float32 if self.dtype in ("float32", "mixed") else np.float64)

    @property
    def parameter_dtype(self) -> np.dtype:
        return np.dtype(np.float32 if self.dtype == "float32" else np.float64)

    @property
    def state_dtype(self) -> np.dtype:
        """NumPy's promotion of the inputs: the dtype of a, y_pred and the suite-built caches."""
        return np.result_type(self.data_dtype, self.parameter_dtype)

    def precision(self, output: str) -> np.dtype:
        """The least precise dtype ``output`` may be computed at (EQUATIONS.md, Dtypes): a
        gradient its primal's when that is floating, every other output the inputs' promotion."""
        if output in ("dx", "dxt"):
            return self.data_dtype if self.dtype != "onehot" else self.state_dtype
        if output in ("da0", "da_prev"):
            return self.data_dtype
        if output in ("dWax", "dWaa", "dba"):
            return self.parameter_dtype
        return self.state_dtype

    def rng(self, stream: int) -> np.random.Generator:
        """An independent generator per use, so adding a use never changes the others' values."""
        return np.random.default_rng([self.seed, stream])

    @cached_property
    def parameters(self) -> dict:
        r = self.rng(0)
        w, o = self.weights, self.logits
        p = {"Wax": w * r.standard_normal((self.n_a, self.n_x)),
             "Waa": w * r.standard_normal((self.n_a, self.n_a)),
             "Wya": o * r.standard_normal((self.n_y, self.n_a)),
             "ba": w * r.standard_normal((self.n_a, 1)),
             "by": o * r.standard_normal((self.n_y, 1))}
        if "sparse" in self.tokens:
            s = self.rng(6)
            p = {k: np.where(s.random(v.shape) < 0.25, 0.0, v) for k, v in p.items()}
        return {k: frozen((np.zeros_like(v) if k in self.tokens else v).astype(
            self.parameter_dtype)) for k, v in p.items()}

    @cached_property
    def lengths(self) -> np.ndarray:
        """Each example's sequence length: T_x, or fewer with ``pad`` (zero columns after)."""
        if "pad" not in self.tokens:
            return np.full(self.m, self.T_x)
        lengths = self.rng(5).integers(1, self.T_x + 1, size=self.m)
        lengths[-1] = self.T_x // 2
        return lengths

    @cached_property
    def x(self) -> np.ndarray:
        if self.dtype == "onehot":
            classes = self.rng(1).integers(0, self.n_x, size=(self.m, self.T_x))
            x = np.moveaxis(np.eye(self.n_x, dtype=np.int64)[classes], 2, 0)
        else:
            x = self.inputs * self.rng(1).standard_normal((self.n_x, self.m, self.T_x))
        padding = np.arange(self.T_x)[None, :] >= self.lengths[:, None]  # (m, T_x)
        x = np.where(padding[None, :, :], 0, x)
        return frozen(x.astype(np.int64 if self.dtype == "onehot" else self.data_dtype))

    @cached_property
    def a0(self) -> np.ndarray:
        a0 = self.inputs * self.rng(2).standard_normal((self.n_a, self.m))
        return frozen((0.0 * a0 if "a0" in self.tokens else a0).astype(self.data_dtype))

    @cached_property
    def da(self) -> np.ndarray:
        da = self.upstream * self.rng(3).standard_normal((self.n_a, self.m, self.T_x))
        if "da" in self.tokens:
            da[:, :, :-1] = 0.0
        return frozen(da.astype(self.data_dtype))

    def random_like(self, stream: int, shape) -> np.ndarray:
        """Further random arrays (directions, second upstream gradients), stream ≥ 10; kept,
        read-only."""
        return self.derived(("random", stream, shape),
                            lambda: frozen(self.rng(10 + stream).standard_normal(shape)))

    def but(self, **changes) -> Case:
        return replace(self, **changes)


# Every strategy is built once and only drawn from per example: building one costs more than
# drawing from it (Hypothesis validates a new strategy on its first draw), and a case makes a
# dozen draws. Those that depend on arguments are cached by their arguments.

@cache
def _integers(low: int, high: int) -> st.SearchStrategy[int]:
    """``st.integers(low, high)``, built once per range."""
    return st.integers(low, high)


@cache
def log_uniform(low_exponent: float, high_exponent: float) -> st.SearchStrategy[float]:
    """10**u for u uniform in [low, high] in steps of 0.01, rounded to 3 significant digits for
    readable cases.

    u is a whole number of hundredths, not a float: integers are cheaper to draw, and shrink
    towards u = 0, that is magnitude 1 (or the nearest end), the simplest magnitude, stopping at
    the magnitude nearest 1 that still fails (a float u stops at the simplest exponent instead:
    316, u = 2.5, for anything past 100). Steps of 2.3% are finer than any bug cares about; finer
    ones would crowd the draws around 1 (recent Hypothesis draws integers uniformly only within
    ±256 of 0).
    """
    return _integers(round(100 * low_exponent), round(100 * high_exponent)).map(
        lambda u: float(f"{10.0 ** (u / 100):.3g}"))


def rare(draw, one_in: int, choices: st.SearchStrategy, default):
    """In a composite strategy: ``default``, but once in ``one_in`` draws one of ``choices``;
    shrinks towards ``default``. A roll, then a draw only when it comes up (``flatmap`` would build
    and validate a strategy on every draw)."""
    return draw(choices) if draw(_integers(1, one_in)) == one_in else default


SIZE_NAMES = ("n_x", "n_a", "n_y", "m", "T_x")
# What a rare draw picks: one size past 8 (T_x only when the case has steps), zeros, a dtype.
_LARGE = {steps: st.tuples(st.sampled_from(SIZE_NAMES if steps else SIZE_NAMES[:-1]),
                           st.integers(9, LARGE_SIZE)) for steps in (False, True)}
# Zeros are a list with repeats dropped, not a unique list: Hypothesis cannot shrink a unique list
# by deleting an element (each later one would change), so "Wax+Waa+da" would not become "da".
_ZEROS = st.lists(st.sampled_from(ZERO_TOKENS), min_size=1, max_size=3).map(
    lambda tokens: "+".join(dict.fromkeys(tokens)))
_DTYPE = st.sampled_from(DTYPES[1:])


@st.composite
def cases(draw, max_size: int = MAX_SIZE, max_steps: int = MAX_STEPS, saturating: bool = True,
          unusual: bool = True):
    """Sizes independent (square and non-square both occur), magnitudes over several decades.

    ``unusual``: now and then one size past 8 (one at a time, so a case stays cheap), exact zeros,
    another dtype (see the module's docstring). Each shrinks away when the failure does not need it.
    """
    size = _integers(1, max_size)
    sizes = dict(n_x=draw(size), n_a=draw(size), n_y=draw(size), m=draw(size),
                 T_x=draw(_integers(1, max_steps)))
    zeros, dtype = "", "float64"
    if unusual:
        large = rare(draw, LARGE_ONE_IN, _LARGE[max_steps > 1], None)
        if large is not None:
            sizes[large[0]] = large[1]
        zeros = rare(draw, ZEROS_ONE_IN, _ZEROS, "")
        dtype = rare(draw, DTYPE_ONE_IN, _DTYPE, "float64")
    return Case(
        **sizes,
        seed=draw(_integers(0, 2**16)),
        weights=draw(log_uniform(-2, 2.5 if saturating else 0.3)),
        inputs=draw(log_uniform(-1, 1)),
        logits=draw(log_uniform(-1, 3)),
        upstream=draw(log_uniform(-3, 3)),
        zeros=zeros, dtype=dtype,
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
    # Past the drawn sizes (few, they cost the most):
    Case(n_x=3, n_a=4, n_y=3, m=2, T_x=24, seed=10, weights=0.8),  # a long sequence: truncated
    # backpropagation, a forward capped at 10 steps
    Case(n_x=2, n_a=16, n_y=32, m=16, T_x=2, seed=11),  # wide: a vocabulary of 32 (top-k
    # softmax), a state of 16, a batch of 16
    # Exact zeros:
    Case(n_x=3, n_a=4, n_y=3, m=4, T_x=3, seed=12, zeros="Wax+Waa+ba"),  # zero-initialised
    # recurrence: a gradient skipped when a weight is zero
    Case(n_x=3, n_a=3, n_y=4, m=5, T_x=5, seed=13, zeros="pad+a0+da"),  # a zero-padded batch from
    # a0 = 0, loss at the last step: a zero column of x treated as padding
    Case(n_x=4, n_a=3, n_y=3, m=3, T_x=3, seed=14, zeros="sparse+by"),  # single zero entries
    # Other dtypes:
    Case(n_x=3, n_a=4, n_y=3, m=4, T_x=3, seed=15, dtype="float32"),  # float32 everywhere
    Case(n_x=5, n_a=3, n_y=5, m=4, T_x=4, seed=16, dtype="onehot", zeros="pad"),  # a padded
    # batch of one-hot characters, as integers: a gradient allocated with np.zeros_like(x)
    Case(n_x=2, n_a=3, n_y=2, m=3, T_x=3, seed=17, dtype="mixed"),  # float32 data, float64
    # parameters
)


@dataclass(frozen=True)
class Logits(Spec):
    """A softmax input: columns of ``scale``-sized logits, each column shifted by up to
    ``spread``, in ``dtype`` (float64 or float32)."""

    n: int = 3
    m: int = 4
    seed: int = 0
    scale: float = 1.0
    spread: float = 0.0
    dtype: str = "float64"

    def __str__(self) -> str:
        return (f"Logits(n={self.n}, m={self.m}, seed={self.seed}, scale={self.scale:g}, "
                f"spread={self.spread:g}" + (f", dtype={self.dtype!r}" if self.dtype != "float64"
                                             else "") + ")")

    @cached_property
    def u(self) -> np.ndarray:
        r = np.random.default_rng([self.seed, 0])
        offsets = self.spread * np.linspace(-1.0, 1.0, self.m)[None, :] if self.m > 1 else 0.0
        return frozen((self.scale * r.standard_normal((self.n, self.m)) + offsets).astype(
            self.dtype))

    def precision(self, output: str = "y") -> np.dtype:
        return np.dtype(self.dtype)

    def random_like(self, stream: int, shape) -> np.ndarray:
        return np.random.default_rng([self.seed, 10 + stream]).standard_normal(shape)


@st.composite
def logits(draw, max_scale_exponent: float = 3.0, max_spread_exponent: float = 3.5):
    """Sizes 1–8, now and then one past 8 (a vocabulary of up to LARGE_SIZE), now and then
    float32; columns alike (spread 0) or shifted apart."""
    sizes = {"n": draw(_integers(1, MAX_SIZE)), "m": draw(_integers(1, MAX_SIZE))}
    large = rare(draw, LARGE_ONE_IN, _LARGE_LOGITS, None)
    if large is not None:
        sizes[large[0]] = large[1]
    return Logits(**sizes, seed=draw(_integers(0, 2**16)),
                  scale=draw(log_uniform(-2, max_scale_exponent)),
                  spread=draw(_spreads(max_spread_exponent)),
                  dtype=rare(draw, DTYPE_ONE_IN, _FLOAT32, "float64"))


@cache
def _spreads(max_exponent: float) -> st.SearchStrategy[float]:
    """0 (columns alike), or columns shifted by up to 10**u with u in [0, max_exponent]."""
    return st.one_of(st.just(0.0), log_uniform(0, max_exponent))


_LARGE_LOGITS = st.tuples(st.sampled_from(("n", "m")), st.integers(9, LARGE_SIZE))
_FLOAT32 = st.just("float32")


INFORMATIVE_LOGITS = (
    Logits(),
    Logits(n=4, m=1, seed=1, scale=2.0),
    Logits(n=3, m=5, seed=2, scale=1.0, spread=1000.0),  # columns ~1000 apart: one global max fails
    Logits(n=5, m=3, seed=3, scale=1000.0),  # logits of ±1e3: exp overflows without the shift
    Logits(n=1, m=1, seed=4),
    Logits(n=32, m=3, seed=5, scale=2.0),  # a vocabulary of 32: a softmax keeping the top 8
    Logits(n=6, m=4, seed=6, scale=3.0, dtype="float32"),  # float32 logits
)
