"""Checks for any cell described by its equations (``symbolic.lstm``, ``symbolic.gru``, ...).

For every cell description in ``spec/cells/`` that names a symbolic module, this registers, per
function: equality with the oracle (the very formulas the audit proves, run on NumPy arrays),
the contracts on every call and twice (determinism), and the call order. Nothing here names a
cell: a new cell described by its equations gets these checks by being added.

Tolerances follow the rule of ``properties/tolerance.py``, |actual − expected| ≤ C·eps·M, with M
the running error bound of the same equations (:class:`Bound`: each operation adds its own
rounding and passes on its inputs' errors weighed by its slope). A correct implementation's
rounding stays within that bound; a wrong formula is off by a large factor of it.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, replace
from functools import cached_property, reduce

import numpy as np
from hypothesis import strategies as st
from rnnspec.properties.call_order import still_the_same
from rnnspec.properties.cases import Derived, frozen
from rnnspec.properties.compare import assert_close
from rnnspec.properties.registry import check
from rnnspec.spec import cells
from rnnspec.spec.cell import BACKWARD, CELL_BACKWARD, CELL_FORWARD, FORWARD
from rnnspec.spec.contract import ContractViolation


class Bound:
    """A value and the scale ``e`` of the rounding error a correct float computation of it can
    carry, propagated to first order (Higham, Accuracy and Stability, ch. 3): a sum adds the
    errors, a product weighs each factor's error by the other's size, and every operation adds
    its own rounding, the size of its result. C·eps·e is then the tolerance."""

    def __init__(self, value, error=None):
        self.v = np.asarray(value, dtype=float)
        self.e = np.zeros(self.v.shape) if error is None else np.asarray(error, dtype=float)

    def __add__(self, other):
        total = self.v + other.v
        return Bound(total, self.e + other.e + np.abs(total))

    def __sub__(self, other):
        difference = self.v - other.v
        return Bound(difference, self.e + other.e + np.abs(difference))

    def __matmul__(self, other):
        product = self.v @ other.v
        return Bound(product, np.abs(self.v) @ other.e + self.e @ np.abs(other.v)
                     + np.abs(self.v) @ np.abs(other.v))

    def __getitem__(self, index):
        return Bound(self.v[index], self.e[index])

    @property
    def T(self):  # noqa: N802 - as NumPy names it
        return Bound(self.v.T, self.e.T)


class BoundOps:
    """The ops of a cell's equations on :class:`Bound` values."""

    @staticmethod
    def mul(*factors):
        return reduce(lambda a, b: Bound(a.v * b.v, np.abs(a.v) * b.e + a.e * np.abs(b.v)
                                         + np.abs(a.v * b.v)), factors)

    @staticmethod
    def one_minus(x):
        return Bound(1.0 - x.v, x.e + np.abs(1.0 - x.v))

    # σ and tanh: their own rounding counts at the scale of their range, 1, not of their value:
    # a gate computed as (1 + tanh(z/2)) / 2 is 0 deep in the tail where σ is 1e-60, an error of
    # order eps at the gate's scale that LSTM.md declares rounding, not a defect.
    @staticmethod
    def sigmoid(x):
        from rnnspec.symbolic.cell_oracle import OPS

        y = OPS.sigmoid(x.v)
        return Bound(y, x.e * y * (1.0 - y) + 1.0)

    @staticmethod
    def tanh(x):
        y = np.tanh(x.v)
        return Bound(y, x.e * (1.0 - y * y) + 1.0)

    @staticmethod
    def vstack(top, bottom):
        return Bound(np.concatenate([top.v, bottom.v]), np.concatenate([top.e, bottom.e]))

    @staticmethod
    def affine(weights, inputs, bias):
        return weights @ inputs + bias

    @staticmethod
    def sum_batch(x):
        total = np.sum(x.v, axis=1, keepdims=True)
        return Bound(total, np.sum(x.e + np.abs(x.v), axis=1, keepdims=True))

    @staticmethod
    def inner(left, right):
        return BoundOps.mul(left, right)

    @staticmethod
    def softmax(u):
        shifted = np.exp(u.v - np.max(u.v, axis=0, keepdims=True))
        y = shifted / np.sum(shifted, axis=0, keepdims=True)
        # ∂y_i/∂u_j = y_i(δ_ij − y_j): an error e in the logits moves y_i by at most 2·y_i·max e.
        return Bound(y, 2.0 * y * np.max(u.e, axis=0, keepdims=True) + y)


def _exact(values: dict) -> dict:
    return {k: Bound(v) for k, v in values.items()}


@dataclass(frozen=True)
class CellCase(Derived):
    """One problem for a cell: sizes, a seed, and the magnitude of each group of arrays; its
    arrays are generated from these numbers, so it prints, replays and shrinks as numbers."""

    n_x: int = 2
    n_a: int = 3
    n_y: int = 2
    m: int = 2
    T_x: int = 2
    seed: int = 0
    weights: float = 1.0
    inputs: float = 1.0
    logits: float = 1.0
    upstream: float = 1.0
    last_step_only: bool = False

    def spec(self) -> str:
        return ",".join(f"{k}={getattr(self, k)}" for k in self.__dataclass_fields__)

    @classmethod
    def from_spec(cls, text: str) -> CellCase:
        fields = cls.__dataclass_fields__
        values = dict(part.split("=", 1) for part in text.split(","))
        unknown = set(values) - set(fields)
        if unknown:
            raise ValueError(f"unknown field(s) {', '.join(sorted(unknown))}")
        return cls(**{k: (v == "True") if fields[k].type == "bool" else
                      type(getattr(cls(), k))(v) for k, v in values.items()})

    def arrays(self, description) -> dict:
        """x, a0, da, dc (upstream for c where the cell has one) and the parameters."""
        rng = np.random.default_rng([self.seed, 7])
        sizes = {"n_x": self.n_x, "n_a": self.n_a, "n_y": self.n_y}
        parameters = {}
        for name, shape in description.PARAMETERS.items():
            dims = tuple(d if isinstance(d, int) else sum(sizes[s.strip()] for s in d.split("+"))
                         for d in shape)
            scale = self.logits if name in ("Wy", "by") else self.weights
            parameters[name] = scale * rng.standard_normal(dims)
        shape = (self.n_a, self.m, self.T_x)
        da = self.upstream * rng.standard_normal(shape)
        if self.last_step_only:
            da[:, :, :-1] = 0.0
        return {"x": self.inputs * rng.standard_normal((self.n_x, self.m, self.T_x)),
                "a0": self.inputs * rng.standard_normal((self.n_a, self.m)),
                "da": da, "dc": self.upstream * rng.standard_normal(shape),
                "parameters": parameters}


def cell_cases(max_side: int = 5, max_steps: int = 5):
    magnitude = st.sampled_from([0.01, 0.1, 0.5, 1.0, 2.0, 10.0, 100.0])
    side = st.integers(1, max_side)
    return st.builds(CellCase, n_x=side, n_a=side, n_y=side, m=side,
                     T_x=st.integers(1, max_steps), seed=st.integers(0, 2**16),
                     weights=magnitude, inputs=magnitude, logits=magnitude,
                     upstream=st.sampled_from([0.1, 1.0, 10.0]),
                     last_step_only=st.booleans())


def informative(description) -> tuple:
    """The cell's informative cases (where its known defect classes show), as CellCases."""
    found = []
    for entry in description.INFORMATIVE_CASES:
        case = CellCase(n_x=2, n_a=3, n_y=4, m=5, T_x=3, seed=1)
        sizes = {k: entry[k] for k in ("n_x", "n_a", "n_y", "m", "T_x") if k in entry}
        case = replace(case, **sizes)
        if "pre_activation" in entry:  # weights large enough to saturate every gate
            case = replace(case, weights=entry["pre_activation"], inputs=1.0)
        if "logit_spread" in entry:
            case = replace(case, logits=entry["logit_spread"])
        if entry.get("da") == "last step only":
            case = replace(case, last_step_only=True)
        found.append(case)
    return tuple(found)


class Problem:
    """A case's exact values for one cell: the oracle's forward, and the caches the suite
    builds from them in the layout the backward functions read."""

    def __init__(self, description, oracle, case: CellCase, impl, cell_backward: str):
        self.case, self.d = case, description
        values = frozen(case.arrays(description))
        self.x, self.a0, self.p = values["x"], values["a0"], values["parameters"]
        self.da, self.dc = values["da"], values["dc"]
        self.forward = frozen(oracle.forward(self.x, self.a0, self.p))
        self.steps = self.forward["steps"]
        layout = impl.detected.of(cell_backward).cell_cache  # the order the backward reads
        self.caches = ([self.cache(t, layout) for t in range(case.T_x)], self.x)
        # One cell on its own: a state drawn independently (a c_prev of zeros, as at step 0 of
        # a sequence, would hide every gradient through the forget gate).
        rng = np.random.default_rng([case.seed, 11])
        self.cell_state = frozen({prev: self.a0 if prev == "a_prev" else
                                  case.inputs * rng.standard_normal(self.a0.shape)
                                  for prev in description.RECURRENCE})
        self.cell = frozen(oracle.cell_forward(self.x[:, :, 0], self.cell_state, self.p))
        values = {**self.cell, "parameters": self.p, "xt": self.x[:, :, 0]}
        self.cell_cache = tuple(values[name] for name in layout)

    def state(self, t: int) -> dict:
        """The state before step t (a_prev, and c_prev for the LSTM)."""
        return {prev: self.steps[t][prev] for prev in self.d.RECURRENCE}

    def cache(self, t: int, layout: tuple) -> tuple:
        values = {**self.steps[t], "parameters": self.p, "xt": self.x[:, :, t]}
        return tuple(values[name] for name in layout)

    def upstream(self, t: int = 0) -> dict:
        """The gradients arriving at the cell: da_next, and dc_next where the cell has a c."""
        received = {"da_next": self.da[:, :, t]}
        if "dc_next" in self.d.UPSTREAM:
            received["dc_next"] = self.dc[:, :, t]
        return received

    def cell_bounds(self) -> dict:
        """The Bound of every value of the cell on its own."""
        from rnnspec.symbolic.cell_time import cell_values

        p = _exact(self.p)
        values = cell_values(self.d, BoundOps, {"xt": Bound(self.x[:, :, 0]),
                                                **_exact(self.cell_state)}, p)
        values["yt_pred"] = self.d.output(BoundOps, values["a_next"], p)
        return values

    @cached_property
    def magnitudes(self) -> tuple:
        """The error scale of every forward value of every step (a Bound per value)."""
        from rnnspec.symbolic.cell_time import unroll

        p = _exact(self.p)
        initial = {prev: Bound(self.a0 if prev == "a_prev" else np.zeros_like(self.a0))
                   for prev in self.d.RECURRENCE}
        steps = unroll(self.d, BoundOps, [Bound(self.x[:, :, t]) for t in range(self.case.T_x)],
                       initial, p)
        for values in steps:
            values["yt_pred"] = self.d.output(BoundOps, values["a_next"], p)
        errors = [{k: v.e for k, v in values.items() if isinstance(v, Bound)}
                  for values in steps]
        return errors, steps


def _roles(cell) -> dict:
    by_role = {}
    for function, role in cell.roles.items():
        by_role.setdefault(role, function)
    return by_role


def _register(cell) -> None:
    description = importlib.import_module(cell.symbolic)
    from rnnspec.symbolic.cell_oracle import CellOracle

    oracle = CellOracle(description)
    names = _roles(cell)
    cell_forward, forward = names[CELL_FORWARD], names[FORWARD]
    cell_backward, backward = names[CELL_BACKWARD], names[BACKWARD]
    examples = informative(description)

    def problem(impl, case):
        """The case's Problem in the layout impl's backward reads, built once and shared."""
        layout = impl.detected.of(cell_backward).cell_cache
        return case.derived(("Problem", layout),
                            lambda: Problem(description, oracle, case, impl, cell_backward))

    def cell_arguments(pb: Problem) -> tuple:
        return (pb.x[:, :, 0], *[pb.cell_state[name] for name in description.RECURRENCE], pb.p)

    @check(f"{cell_forward}.oracle", f"{cell_forward}'s outputs and cache equal the documented "
           f"equations ({description.DOCUMENT})", cell_cases(), examples=examples)
    def cell_forward_matches_oracle(impl, case):
        pb = problem(impl, case)
        out = impl.call(cell_forward, *cell_arguments(pb))
        expected = pb.cell
        bounds = {k: v.e for k, v in pb.cell_bounds().items() if isinstance(v, Bound)}
        for name, value in out.items():
            if name == "cache":
                continue
            assert_close(f"{cell_forward} {name} on {case.spec()}", value, expected[name],
                         bounds[name])
        layout = impl.detected.of(cell_forward).cell_cache
        for position, name in enumerate(layout):
            if name in ("parameters",) or not isinstance(out["cache"], tuple):
                continue
            reference = pb.x[:, :, 0] if name == "xt" else expected[name]
            assert_close(f"{cell_forward} cache[{position}] ({name}) on {case.spec()}",
                         out["cache"][position], reference, bounds.get(name, np.abs(reference)))

    @check(f"{forward}.oracle", f"{forward}'s outputs and caches equal the documented equations "
           f"unrolled over T_x steps (the state starting from a0, and c0 = 0)", cell_cases(),
           examples=examples)
    def forward_matches_oracle(impl, case):
        pb = problem(impl, case)
        out = impl.call(forward, pb.x, pb.a0, pb.p)
        bounds, _ = pb.magnitudes
        stacked = {"a": "a_next", "c": "c_next", "y": "yt_pred"}
        for name, value in out.items():
            if name in stacked:
                M = np.stack([b[stacked[name]] for b in bounds], axis=2)
                assert_close(f"{forward} {name} on {case.spec()}", value, pb.forward[name], M)
        caches = out.get("caches")
        if not (isinstance(caches, tuple) and len(caches) == 2
                and isinstance(caches[0], (list, tuple)) and len(caches[0]) == case.T_x):
            raise ContractViolation("sequence_caches", forward, (
                f"caches: expected (list of T_x = {case.T_x} cell caches, x), got "
                f"{type(caches).__name__}"))
        layout = impl.detected.of(cell_forward).cell_cache
        for t, cache in enumerate(caches[0]):
            if not isinstance(cache, tuple) or len(cache) != len(layout):
                raise ContractViolation("sequence_caches", forward, (
                    f"caches[0][{t}]: expected the tuple ({', '.join(layout)})"))
            for position, name in enumerate(layout):
                if name == "parameters":
                    continue
                reference = pb.x[:, :, t] if name == "xt" else pb.steps[t][name]
                assert_close(f"{forward} caches[0][{t}][{position}] (step {t}'s {name}) on "
                             f"{case.spec()}", cache[position], reference,
                             bounds[t].get(name, np.abs(reference)))

    @check(f"{cell_backward}.oracle", f"each gradient of {cell_backward} equals the documented "
           f"formula ({description.DOCUMENT}), proven against the forward equations",
           cell_cases(), examples=examples)
    def cell_backward_matches_oracle(impl, case):
        pb = problem(impl, case)
        upstream = pb.upstream()
        out = impl.call(cell_backward, *upstream.values(), pb.cell_cache)
        expected = oracle.cell_backward(upstream, pb.x[:, :, 0], pb.cell_state, pb.p)
        bounds = _cell_gradient_bounds(description, pb, upstream)
        known: dict = {}

        def fingerprints_of(key):
            if not known:
                known.update(_known_bugs(description, pb, upstream))
            return {cause: values[key] for cause, values in known.items() if key in values}

        for key in cells.gradients()[cell_backward]:
            assert_close(f"{cell_backward} gradients[{key!r}] on {case.spec()}", out.get(key),
                         expected[key], bounds[key], against="the documented formula",
                         fingerprints=lambda key=key: fingerprints_of(key))

    @check(f"{backward}.oracle", f"each gradient of {backward} equals the through-time rule of "
           f"{description.DOCUMENT} applied to the documented cell gradients", cell_cases(),
           examples=examples)
    def backward_matches_oracle(impl, case):
        pb = problem(impl, case)
        out = impl.call(backward, pb.da, pb.caches)
        expected = oracle.backward(pb.da, pb.x, pb.a0, pb.p)
        bounds = _sequence_gradient_bounds(description, pb)
        known: dict = {}

        def fingerprints_of(key):
            if not known:
                known.update(_carry_fingerprints(description, oracle, pb))
            return {cause: values[key] for cause, values in known.items() if key in values}

        for key in cells.gradients()[backward]:
            assert_close(f"{backward} gradients[{key!r}] on {case.spec()}", out.get(key),
                         expected[key], bounds[key], against="the through-time rule",
                         fingerprints=lambda key=key: fingerprints_of(key))

    @check(f"{backward}.linearity", f"{backward}'s gradients are linear in da: g(α·u + β·w) = "
           f"α·g(u) + β·g(w)", cell_cases(), examples=examples[:3])
    def backward_is_linear(impl, case):
        pb = problem(impl, case)
        u, w = pb.da, pb.dc  # two independent upstream gradients of the same shape
        alpha, beta = 1.5, -0.75
        both = impl.call(backward, alpha * u + beta * w, pb.caches)
        gu, gw = impl.call(backward, u, pb.caches), impl.call(backward, w, pb.caches)
        M = [_sequence_gradient_bounds(description, pb, da) for da in
             (alpha * u + beta * w, u, w)]
        for key in cells.gradients()[backward]:
            assert_close(f"{backward} gradients[{key!r}] for da = α·u + β·w (α = {alpha}, "
                         f"β = {beta}) on {case.spec()}", both.get(key),
                         alpha * np.asarray(gu.get(key), dtype=float)
                         + beta * np.asarray(gw.get(key), dtype=float),
                         M[0][key] + abs(alpha) * M[1][key] + abs(beta) * M[2][key],
                         against="α·g(u) + β·g(w)")

    def arguments(impl, function, case):
        pb = problem(impl, case)
        role = cell.role(function)
        if role == CELL_FORWARD:
            return cell_arguments(pb)
        if role == FORWARD:
            return pb.x, pb.a0, pb.p
        if role == CELL_BACKWARD:
            return (*pb.upstream().values(), pb.cell_cache)
        return pb.da, pb.caches

    for function in (cell_forward, forward, cell_backward, backward):
        _contracts_and_call_order(function, arguments, examples)


def _contracts_and_call_order(function, arguments, examples) -> None:
    @check(f"{function}.contracts", f"{function} keeps its contracts: shapes, dtype, cache "
           f"layout, inputs untouched, same result twice", cell_cases(), examples=examples,
           deterministic=True)
    def contracts(impl, case):
        impl.call(function, *arguments(impl, function, case))

    @check(f"{function}.call_order", f"{function}'s result is not changed by the next call",
           cell_cases(), examples=examples[:2])
    def call_order(impl, case):
        still_the_same(impl, function, arguments(impl, function, case),
                       arguments(impl, function, case.derived(
                           "other", lambda: replace(case, seed=case.seed + 1))))


def _sigmoid_checks(function: str) -> None:
    from rnnspec.symbolic.cell_oracle import OPS

    values = st.lists(st.floats(-50, 50), min_size=1, max_size=12).map(
        lambda v: np.array(v).reshape(1, -1))

    @check(f"{function}.oracle", f"{function}(x) = 1 / (1 + e^−x), entry by entry", values,
           examples=[np.linspace(-5, 5, 11).reshape(1, -1)])
    def sigmoid_matches(impl, x):
        y = impl.call(function, x)["y"]
        assert_close(f"{function} on x = {np.array2string(x, precision=3)}", y, OPS.sigmoid(x),
                     1.0 + np.abs(x) * OPS.sigmoid(x) * (1 - OPS.sigmoid(x)))

    @check(f"{function}.stability", f"{function} stays finite and within [0, 1] for |x| up to "
           f"1000 (saturated gates)", st.sampled_from([1e2, 710.0, 800.0, 1e3]).map(
               lambda s: np.array([[-s, -1.0, 0.0, 1.0, s]])),
           examples=[np.array([[-800.0, 800.0]])])
    def sigmoid_stays_finite(impl, x):
        y = impl.call(function, x)["y"]
        y = np.asarray(y, dtype=float)
        if not np.all(np.isfinite(y)) or np.any((y < 0) | (y > 1)):
            bad = int(np.argwhere(~np.isfinite(y) | (y < 0) | (y > 1))[0][-1])
            raise ContractViolation("finite", function, (
                f"{function}({x[0, bad]:g}) is {y.flat[bad]!r}, expected a number in [0, 1]"
                + (" (e^x / (1 + e^x) is inf / inf = nan for x > 709: use 1 / (1 + e^−x) "
                   "there)" if x[0, bad] > 0 and np.isnan(y.flat[bad]) else "")))
        assert_close(f"{function} at saturation", y, OPS.sigmoid(x), np.ones_like(x))


def _cell_gradient_bounds(description, pb: Problem, upstream: dict) -> dict:
    from rnnspec.symbolic.cell_time import documented_gradients

    found = documented_gradients(description, BoundOps, pb.cell_bounds(), _exact(upstream),
                                 pb.case.n_a)
    return {k: v.e for k, v in found.items()}


def _known_bugs(description, pb: Problem, upstream: dict) -> dict:
    """The cell gradients each of the cell's known wrong formulas gives (``KNOWN_BUGS`` of its
    equations' module), by cause."""
    import types

    from rnnspec.symbolic.cell_oracle import OPS
    from rnnspec.symbolic.cell_time import cell_values, documented_gradients

    values = cell_values(description, OPS, {"xt": pb.x[:, :, 0], **pb.cell_state}, pb.p)
    found = {}
    for cause, wrong in getattr(description, "KNOWN_BUGS", {}).items():
        formulas = tuple(f._replace(formula=wrong[f.name]) if f.name in wrong else f
                         for f in description.DOCUMENTED)
        variant = types.SimpleNamespace(DOCUMENTED=formulas)
        found[cause] = documented_gradients(variant, OPS, values, upstream, pb.case.n_a)
    return found


def _carry_fingerprints(description, oracle, pb: Problem) -> dict:
    """The gradients a backward gives when it drops some of the through-time carries (the most
    common LSTM bug, LSTM.md), by cause: each step then receives zero for a dropped carry, while
    da0 is still what step 0 returns."""
    rule = description.THROUGH_TIME
    carries, up = rule["carries"], rule["upstream"]
    subsets = [()] + ([(name,) for name in carries] if len(carries) > 1 else [])
    zero = np.zeros_like(pb.a0)
    found = {}
    for kept in subsets:
        carry = {name: zero for name in carries}
        per_step = {name: [None] * pb.case.T_x for name in rule["per_step"]}
        sums: dict = {}
        for t in reversed(range(pb.case.T_x)):
            received = dict(carry)
            received[up] = pb.da[:, :, t] + carry[up]
            step = oracle.cell_backward(received, pb.x[:, :, t], pb.state(t), pb.p)
            for name, key in rule["per_step"].items():
                per_step[name][t] = step[key]
            for name in rule["summed"]:
                sums[name] = step[name] + sums.get(name, 0.0)
            returned = {name: step[key] for name, key in carries.items()}
            carry = {name: returned[name] if name in kept else zero for name in carries}
        values = {name: np.stack(v, axis=2) for name, v in per_step.items()}
        values.update(sums)
        values.update({name: returned[received_as]
                       for name, received_as in rule["left_after_step_0"].items()})
        dropped = [name.replace("_next", "") for name in carries if name not in kept]
        cause = ("no through-time carry: each step gets only da[:, :, t], never what the step "
                 "after it returns" if not kept else
                 f"only {kept[0].replace('_next', '')} is carried back through time, not "
                 f"{' and '.join(dropped)}")
        found[cause] = values
    return found


def _sequence_gradient_bounds(description, pb: Problem, da=None) -> dict:
    from rnnspec.symbolic.cell_time import backward_through_time, documented_gradients

    da = pb.da if da is None else da
    _, steps = pb.magnitudes

    def cell(t, received):
        return documented_gradients(description, BoundOps, steps[t], received, pb.case.n_a)

    result = backward_through_time(description, cell,
                                   [Bound(da[:, :, t]) for t in range(pb.case.T_x)],
                                   Bound(np.zeros_like(pb.a0)))
    bounds = {}
    for name, value in result.items():
        if name in description.THROUGH_TIME["per_step"]:
            bounds[name] = np.stack([step.e for step in value], axis=2)
        elif isinstance(value, Bound):
            bounds[name] = value.e
    return bounds


for _cell in cells.cells():
    if getattr(_cell, "symbolic", None):
        _register(_cell)
if any(cell.symbolic and "sigmoid" in cell.roles for cell in cells.cells()):
    _sigmoid_checks("sigmoid")  # a helper shared by several cells: its checks, once
