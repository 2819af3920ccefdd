"""The LSTM of LSTM.md as a value: its description, its forward equations, its documented
gradients and its through-time rule, written once.

Everything here is plain Python (no SymPy, no NumPy at import): the equations are functions of an
``ops`` object, which ``symbolic.cell_proof`` instantiates with SymPy explicit matrices (to derive
and prove) and ``symbolic.cell_oracle`` with NumPy arrays (to compute). So "the oracle is what
was proven" holds by construction, and ``DOCUMENTED`` is the one place a test swaps a formula to
watch the audit name it.

The cell-description draft (FUNCTIONS … INFORMATIVE_CASES) is the data the engine will read; the
names and orders are LSTM.md's course convention.
"""

from __future__ import annotations

from collections import namedtuple
from functools import reduce
from operator import add

NAME = "lstm"
DOCUMENT = "LSTM.md"
GATES = ("f", "i", "c", "o")  # forget, update (Γu, ``i`` in the code), candidate, output

# --- The cell description (draft) -------------------------------------------------------------
SIZES = ("n_x", "n_a", "n_y", "m", "T_x")
PARAMETERS = {
    "Wf": ("n_a", "n_a + n_x"), "bf": ("n_a", 1),
    "Wi": ("n_a", "n_a + n_x"), "bi": ("n_a", 1),
    "Wc": ("n_a", "n_a + n_x"), "bc": ("n_a", 1),
    "Wo": ("n_a", "n_a + n_x"), "bo": ("n_a", 1),
    "Wy": ("n_y", "n_a"), "by": ("n_y", 1),
}
# Parameters the backward pass reads (the output layer is excluded from it).
BACKWARD_PARAMETERS = ("Wf", "Wi", "Wc", "Wo")
FUNCTIONS = ("sigmoid", "softmax", "lstm_cell_forward", "lstm_forward", "lstm_cell_backward",
             "lstm_backward")
BUILT_ON = {
    "sigmoid": (),
    "softmax": (),
    "lstm_cell_forward": ("sigmoid", "softmax"),
    "lstm_forward": ("lstm_cell_forward",),
    "lstm_cell_backward": (),
    "lstm_backward": ("lstm_cell_backward",),
}
# Which argument of a backward function is produced by which forward function.
CONSUMES = {
    "lstm_cell_backward": {"cache": "lstm_cell_forward"},
    "lstm_backward": {"caches": "lstm_forward"},
}
ARGUMENTS = {
    "sigmoid": ("x",),
    "softmax": ("x",),
    "lstm_cell_forward": ("xt", "a_prev", "c_prev", "parameters"),
    "lstm_forward": ("x", "a0", "parameters"),
    "lstm_cell_backward": ("da_next", "dc_next", "cache"),
    "lstm_backward": ("da", "caches"),
}
RETURNS = {
    "sigmoid": "array",
    "softmax": "array",
    "lstm_cell_forward": ("a_next", "c_next", "yt_pred", "cache"),
    "lstm_forward": ("a", "y", "c", "caches"),  # note the order a, y, c
    "lstm_cell_backward": "dict",
    "lstm_backward": "dict",
}
CACHE = ("a_next", "c_next", "a_prev", "c_prev", "ft", "it", "cct", "ot", "xt", "parameters")
SEQUENCE_CACHE = ("caches", "x")  # caches: the list of T_x cell caches
GRADIENTS = {
    "lstm_cell_backward": ("dxt", "da_prev", "dc_prev", "dWf", "dbf", "dWi", "dbi", "dWc", "dbc",
                           "dWo", "dbo"),
    "lstm_backward": ("dx", "da0", "dWf", "dbf", "dWi", "dbi", "dWc", "dbc", "dWo", "dbo"),
}
SHAPES = {
    "xt": ("n_x", "m"), "a_prev": ("n_a", "m"), "c_prev": ("n_a", "m"),
    "a_next": ("n_a", "m"), "c_next": ("n_a", "m"), "yt_pred": ("n_y", "m"),
    "ft": ("n_a", "m"), "it": ("n_a", "m"), "cct": ("n_a", "m"), "ot": ("n_a", "m"),
    "x": ("n_x", "m", "T_x"), "a0": ("n_a", "m"),
    "a": ("n_a", "m", "T_x"), "c": ("n_a", "m", "T_x"), "y": ("n_y", "m", "T_x"),
    "da_next": ("n_a", "m"), "dc_next": ("n_a", "m"), "da": ("n_a", "m", "T_x"),
    "dxt": ("n_x", "m"), "da_prev": ("n_a", "m"), "dc_prev": ("n_a", "m"),
    "dx": ("n_x", "m", "T_x"), "da0": ("n_a", "m"),
    **{f"d{name}": shape for name, shape in PARAMETERS.items()},
}
# The state carried from step to step: <name>_prev of step t is <name>_next of step t−1.
RECURRENCE = {"a_prev": "a_next", "c_prev": "c_next"}
INITIAL_STATE = {"a_prev": "a0", "c_prev": "zeros"}  # c0 = 0, not an argument
# Informative cases: where the known defect classes show (LSTM.md, "Known defects").
INFORMATIVE_CASES = (
    {"why": "one step: nothing to carry; sizes read from caches[1] fail", "T_x": 1},
    {"why": "one example: broadcasting and batch sums collapse", "m": 1},
    {"why": "the course's sizes: a hard-coded n_a = 5 passes only here",
     "n_x": 3, "n_a": 5, "n_y": 2, "m": 10, "T_x": 7},
    {"why": "n_a ≠ n_x ≠ m: transposes and the concat order change shapes", "n_x": 2, "n_a": 3,
     "m": 4},
    {"why": "saturated gates: σ as e^z / (1 + e^z) is inf/inf = NaN for z > 709",
     "pre_activation": 800.0},
    {"why": "logits far apart: one global maximum underflows a column to 0/0",
     "logit_spread": 1000.0},
    {"why": "da zero except the last step: only the through-time carries reach step 0",
     "da": "last step only"},
)

# --- Forward equations --------------------------------------------------------------------------


def forward(o, inputs, p, given):
    """One step of LSTM.md: concat = [a_prev; xt], the four gates, c_next, a_next.

    ``pre_g`` is the pre-activation of gate g (where the weights act); ``tau`` is tanh(c_next).
    ``given`` may replace ``pre_f``, ``pre_i``, ``pre_c``, ``pre_o`` or ``c_next``.
    """
    v = {"concat": o.vstack(inputs["a_prev"], inputs["xt"])}
    for g in GATES:
        name = f"pre_{g}"
        v[name] = given[name] if name in given else o.affine(p[f"W{g}"], v["concat"], p[f"b{g}"])
    v["ft"] = o.sigmoid(v["pre_f"])
    v["it"] = o.sigmoid(v["pre_i"])
    v["cct"] = o.tanh(v["pre_c"])
    v["ot"] = o.sigmoid(v["pre_o"])
    c_next = o.mul(v["ft"], inputs["c_prev"]) + o.mul(v["it"], v["cct"])
    v["c_next"] = given.get("c_next", c_next)
    v["tau"] = o.tanh(v["c_next"])
    v["a_next"] = o.mul(v["ot"], v["tau"])
    return v


def output(o, a_next, p):
    """yt_pred = softmax(Wy a_next + by), column by column."""
    return o.softmax(o.affine(p["Wy"], a_next, p["by"]))


def loss_upstream(o, values, upstream):
    """L = ⟨da_next, a_next⟩ + ⟨dc_next, c_next⟩: the scalar lstm_cell_backward differentiates."""
    return o.inner(upstream["da_next"], values["a_next"]) + o.inner(upstream["dc_next"],
                                                                     values["c_next"])


UPSTREAM = ("da_next", "dc_next")
# The independent variables of the cell, and the intermediates a formula may be a gradient of.
LEAVES = ("xt", "a_prev", "c_prev", "Wf", "bf", "Wi", "bi", "Wc", "bc", "Wo", "bo")
CUTS = ("pre_f", "pre_i", "pre_c", "pre_o", "c_next")

# --- The documented gradients (LSTM.md, "Backward, one time step") -----------------------------

Formula = namedtuple("Formula", "name number wrt formula")


def _dconcat(v, part):
    """Σ_g Wg[:, part]ᵀ dg over the four gates: the rows of dconcat for a_prev or for xt."""
    columns = slice(0, v.n_a) if part == "a_prev" else slice(v.n_a, None)
    pairs = (("Wf", v.dft), ("Wi", v.dit), ("Wc", v.dcct), ("Wo", v.dot))
    return reduce(add, [getattr(v, w)[:, columns].T @ dg for w, dg in pairs])


DOCUMENTED = (
    Formula("dot", "(7)", "pre_o",
            lambda v, o: o.mul(v.da_next, v.tau, v.ot, o.one_minus(v.ot))),
    Formula("dc", "(dc)", "c_next",
            lambda v, o: v.dc_next + o.mul(v.da_next, v.ot, o.one_minus(o.mul(v.tau, v.tau)))),
    Formula("dcct", "(8)", "pre_c",
            lambda v, o: o.mul(v.dc, v.it, o.one_minus(o.mul(v.cct, v.cct)))),
    Formula("dit", "(9)", "pre_i", lambda v, o: o.mul(v.dc, v.cct, v.it, o.one_minus(v.it))),
    Formula("dft", "(10)", "pre_f", lambda v, o: o.mul(v.dc, v.c_prev, v.ft, o.one_minus(v.ft))),
    Formula("dWf", "(11)", "Wf", lambda v, o: v.dft @ v.concat.T),
    Formula("dWi", "(12)", "Wi", lambda v, o: v.dit @ v.concat.T),
    Formula("dWc", "(13)", "Wc", lambda v, o: v.dcct @ v.concat.T),
    Formula("dWo", "(14)", "Wo", lambda v, o: v.dot @ v.concat.T),
    Formula("dbf", "(15)", "bf", lambda v, o: o.sum_batch(v.dft)),
    Formula("dbi", "(16)", "bi", lambda v, o: o.sum_batch(v.dit)),
    Formula("dbc", "(17)", "bc", lambda v, o: o.sum_batch(v.dcct)),
    Formula("dbo", "(18)", "bo", lambda v, o: o.sum_batch(v.dot)),
    Formula("da_prev", "(19)", "a_prev", lambda v, o: _dconcat(v, "a_prev")),
    Formula("dc_prev", "(20)", "c_prev", lambda v, o: o.mul(v.dc, v.ft)),
    Formula("dxt", "(21)", "xt", lambda v, o: _dconcat(v, "xt")),
)

# Wrong formulas seen in public copies (LSTM.md, "Known defects"): each replaces some documented
# formulas; when an implementation's gradients equal one of these, it is named as the likely cause.
KNOWN_BUGS = {
    "the activation derivatives are left out of the gate gradients: σ'(z) = g(1 − g) and "
    "tanh'(z) = 1 − c̃² are missing from dot, dcct, dit and dft": {
        "dot": lambda v, o: o.mul(v.da_next, v.tau),
        "dcct": lambda v, o: o.mul(v.dc, v.it),
        "dit": lambda v, o: o.mul(v.dc, v.cct),
        "dft": lambda v, o: o.mul(v.dc, v.c_prev),
    },
    "dot uses tanh(a_next) where LSTM.md has tanh(c_next)": {
        "dot": lambda v, o: o.mul(v.da_next, o.tanh(v.a_next), v.ot, o.one_minus(v.ot)),
    },
    "dcct follows the v3 notebook's printed equation (8): an extra c̃ on the da_next term and "
    "(1 − tanh(c̃)²) for (1 − c̃²)": {
        "dcct": lambda v, o: o.mul(o.mul(v.dc_next, v.it)
                                   + o.mul(v.ot, o.one_minus(o.mul(v.tau, v.tau)), v.it,
                                           v.da_next, v.cct),
                                   o.one_minus(o.mul(o.tanh(v.cct), o.tanh(v.cct)))),
    },
}

# --- Backward through time (LSTM.md, "Backward through time") ---------------------------------
THROUGH_TIME = {
    "upstream": "da_next",  # step t receives da[:, :, t] + the carried da_prev here
    "carries": {"da_next": "da_prev", "dc_next": "dc_prev"},  # received ← returned by step t+1
    "per_step": {"dx": "dxt"},
    "summed": ("dWf", "dbf", "dWi", "dbi", "dWc", "dbc", "dWo", "dbo"),
    # The carries left after step 0: da0 is returned; dc0 = ∂L/∂c0 is not (c0 is fixed at 0).
    "left_after_step_0": {"da0": "da_next", "dc0": "dc_next"},
}
