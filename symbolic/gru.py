"""The GRU of GRU.md as a value: its description, its forward equations, its documented gradients
and its through-time rule, written once (plain Python; see ``symbolic.lstm`` for the design).

Convention (GRU.md): concat = [a_prev; xt]; update gate zt and reset gate rt act on concat; the
candidate hct acts on [rt * a_prev; xt] (reset before the product, as Cho et al. 2014); and
a_next = (1 − zt) * a_prev + zt * hct: zt multiplies the candidate (PyTorch, and Cho et al.,
put z on the previous state instead).
"""

from __future__ import annotations

from collections import namedtuple
from functools import reduce
from operator import add

NAME = "gru"
DOCUMENT = "GRU.md"

# --- The cell description (draft) -------------------------------------------------------------
SIZES = ("n_x", "n_a", "n_y", "m", "T_x")
PARAMETERS = {
    "Wz": ("n_a", "n_a + n_x"), "bz": ("n_a", 1),
    "Wr": ("n_a", "n_a + n_x"), "br": ("n_a", 1),
    "Wh": ("n_a", "n_a + n_x"), "bh": ("n_a", 1),
    "Wy": ("n_y", "n_a"), "by": ("n_y", 1),
}
BACKWARD_PARAMETERS = ("Wz", "Wr", "Wh")
FUNCTIONS = ("sigmoid", "softmax", "gru_cell_forward", "gru_forward", "gru_cell_backward",
             "gru_backward")
BUILT_ON = {
    "sigmoid": (),
    "softmax": (),
    "gru_cell_forward": ("sigmoid", "softmax"),
    "gru_forward": ("gru_cell_forward",),
    "gru_cell_backward": (),
    "gru_backward": ("gru_cell_backward",),
}
CONSUMES = {
    "gru_cell_backward": {"cache": "gru_cell_forward"},
    "gru_backward": {"caches": "gru_forward"},
}
ARGUMENTS = {
    "sigmoid": ("x",),
    "softmax": ("x",),
    "gru_cell_forward": ("xt", "a_prev", "parameters"),
    "gru_forward": ("x", "a0", "parameters"),
    "gru_cell_backward": ("da_next", "cache"),
    "gru_backward": ("da", "caches"),
}
RETURNS = {
    "sigmoid": "array",
    "softmax": "array",
    "gru_cell_forward": ("a_next", "yt_pred", "cache"),
    "gru_forward": ("a", "y", "caches"),
    "gru_cell_backward": "dict",
    "gru_backward": "dict",
}
CACHE = ("a_next", "a_prev", "zt", "rt", "hct", "xt", "parameters")
SEQUENCE_CACHE = ("caches", "x")
GRADIENTS = {
    "gru_cell_backward": ("dxt", "da_prev", "dWz", "dbz", "dWr", "dbr", "dWh", "dbh"),
    "gru_backward": ("dx", "da0", "dWz", "dbz", "dWr", "dbr", "dWh", "dbh"),
}
SHAPES = {
    "xt": ("n_x", "m"), "a_prev": ("n_a", "m"), "a_next": ("n_a", "m"), "yt_pred": ("n_y", "m"),
    "zt": ("n_a", "m"), "rt": ("n_a", "m"), "hct": ("n_a", "m"),
    "x": ("n_x", "m", "T_x"), "a0": ("n_a", "m"),
    "a": ("n_a", "m", "T_x"), "y": ("n_y", "m", "T_x"),
    "da_next": ("n_a", "m"), "da": ("n_a", "m", "T_x"),
    "dxt": ("n_x", "m"), "da_prev": ("n_a", "m"), "dx": ("n_x", "m", "T_x"), "da0": ("n_a", "m"),
    **{f"d{name}": shape for name, shape in PARAMETERS.items()},
}
RECURRENCE = {"a_prev": "a_next"}
INITIAL_STATE = {"a_prev": "a0"}
INFORMATIVE_CASES = (
    {"why": "one step: nothing to carry", "T_x": 1},
    {"why": "one example: broadcasting and batch sums collapse", "m": 1},
    {"why": "n_a ≠ n_x ≠ m: transposes and the concat order change shapes", "n_x": 2, "n_a": 3,
     "m": 4},
    {"why": "z near 1 or 0: swapping z and 1 − z changes a_next most", "pre_activation": 5.0},
    {"why": "saturated gates: σ as e^z / (1 + e^z) is inf/inf = NaN for z > 709",
     "pre_activation": 800.0},
    {"why": "logits far apart: one global maximum underflows a column to 0/0",
     "logit_spread": 1000.0},
)

# --- Forward equations --------------------------------------------------------------------------


def forward(o, inputs, p, given):
    """One step of GRU.md. ``pre_g`` is a pre-activation; ``ra`` = rt * a_prev, the reset state.

    ``given`` may replace ``pre_z``, ``pre_r``, ``pre_h`` or ``ra``.
    """
    a_prev = inputs["a_prev"]
    v = {"concat": o.vstack(a_prev, inputs["xt"])}
    for g in ("z", "r"):
        name = f"pre_{g}"
        v[name] = given[name] if name in given else o.affine(p[f"W{g}"], v["concat"], p[f"b{g}"])
    v["zt"] = o.sigmoid(v["pre_z"])
    v["rt"] = o.sigmoid(v["pre_r"])
    v["ra"] = given["ra"] if "ra" in given else o.mul(v["rt"], a_prev)
    v["concat_r"] = o.vstack(v["ra"], inputs["xt"])
    v["pre_h"] = given["pre_h"] if "pre_h" in given else o.affine(p["Wh"], v["concat_r"], p["bh"])
    v["hct"] = o.tanh(v["pre_h"])
    v["a_next"] = o.mul(o.one_minus(v["zt"]), a_prev) + o.mul(v["zt"], v["hct"])
    return v


def output(o, a_next, p):
    """yt_pred = softmax(Wy a_next + by), column by column."""
    return o.softmax(o.affine(p["Wy"], a_next, p["by"]))


def loss_upstream(o, values, upstream):
    """L = ⟨da_next, a_next⟩: the scalar gru_cell_backward differentiates."""
    return o.inner(upstream["da_next"], values["a_next"])


UPSTREAM = ("da_next",)
LEAVES = ("xt", "a_prev", "Wz", "bz", "Wr", "br", "Wh", "bh")
CUTS = ("pre_z", "pre_r", "pre_h", "ra")

# --- The documented gradients (GRU.md, "Backward, one time step") ------------------------------

Formula = namedtuple("Formula", "name number wrt formula")


def _columns(v, part):
    return slice(0, v.n_a) if part == "a_prev" else slice(v.n_a, None)


def _dconcat(v, part):
    """Wz[:, part]ᵀ dzt + Wr[:, part]ᵀ drt (+ Wh[:, part]ᵀ dhct for xt: the candidate sees xt
    directly, a_prev only through rt * a_prev)."""
    columns = _columns(v, part)
    pairs = [("Wz", v.dzt), ("Wr", v.drt)] + ([("Wh", v.dhct)] if part == "xt" else [])
    return reduce(add, [getattr(v, w)[:, columns].T @ dg for w, dg in pairs])


DOCUMENTED = (
    Formula("dhct", "(6)", "pre_h",
            lambda v, o: o.mul(v.da_next, v.zt, o.one_minus(o.mul(v.hct, v.hct)))),
    Formula("dzt", "(7)", "pre_z",
            lambda v, o: o.mul(v.da_next, v.hct - v.a_prev, v.zt, o.one_minus(v.zt))),
    Formula("dra", "(8)", "ra", lambda v, o: v.Wh[:, _columns(v, "a_prev")].T @ v.dhct),
    Formula("drt", "(9)", "pre_r",
            lambda v, o: o.mul(v.dra, v.a_prev, v.rt, o.one_minus(v.rt))),
    Formula("dWz", "(10)", "Wz", lambda v, o: v.dzt @ v.concat.T),
    Formula("dWr", "(11)", "Wr", lambda v, o: v.drt @ v.concat.T),
    Formula("dWh", "(12)", "Wh", lambda v, o: v.dhct @ v.concat_r.T),
    Formula("dbz", "(13)", "bz", lambda v, o: o.sum_batch(v.dzt)),
    Formula("dbr", "(14)", "br", lambda v, o: o.sum_batch(v.drt)),
    Formula("dbh", "(15)", "bh", lambda v, o: o.sum_batch(v.dhct)),
    Formula("da_prev", "(16)", "a_prev",
            lambda v, o: o.mul(v.da_next, o.one_minus(v.zt)) + o.mul(v.dra, v.rt)
            + _dconcat(v, "a_prev")),
    Formula("dxt", "(17)", "xt", lambda v, o: _dconcat(v, "xt")),
)

# --- Backward through time (GRU.md) -------------------------------------------------------------
# Wrong formulas seen or expected in the wild: each replaces some documented formulas; when an
# implementation's gradients equal one of these, it is named as the likely cause.
KNOWN_BUGS = {
    "σ'(z) = z(1 − z) is left out of the update gate's gradient dzt": {
        "dzt": lambda v, o: o.mul(v.da_next, v.hct - v.a_prev),
    },
    "da_prev misses the reset path, rt * (Wh[:, :n_a]ᵀ dhct): a_prev reaches the candidate "
    "through rt * a_prev": {
        "da_prev": lambda v, o: o.mul(v.da_next, o.one_minus(v.zt)) + _dconcat(v, "a_prev"),
    },
}

THROUGH_TIME = {
    "upstream": "da_next",
    "carries": {"da_next": "da_prev"},
    "per_step": {"dx": "dxt"},
    "summed": ("dWz", "dbz", "dWr", "dbr", "dWh", "dbh"),
    "left_after_step_0": {"da0": "da_next"},
}
