"""``python -m symbolic.audit``: the symbolic audit of EQUATIONS.md, as Markdown with LaTeX.

For every documented formula it shows SymPy's derivative, the documented closed form, and the
verdict of each proof (matrix level, dimension-free; element-wise at stated sizes) with its time.
The exit status is 1 when anything documented is not proven, so CI can run it as a check.

``run()`` returns the verdicts (the tests read them), ``render()`` turns them into the report; the
two front ends share one list of checks.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, field

from symbolic.verdict import Verdict


@dataclass
class Audit:
    """Everything the report shows; ``ok`` is the exit status's source."""

    verdicts: list[Verdict]
    sections: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(v.ok for v in self.verdicts)

    @property
    def failures(self) -> list[Verdict]:
        return [v for v in self.verdicts if not v.ok]


_TEX_NAMES = {
    "dz": "dz",
    "dWax": "dW_{ax}",
    "dWaa": "dW_{aa}",
    "dba": "db_{a}",
    "dxt": "dx_{t}",
    "da_prev": "da_{prev}",
}


def _math(tex: str) -> str:
    return f"$$\n{tex}\n$$\n"


def _verdict_line(verdict: Verdict) -> str:
    mark = "**" + verdict.text + "**" if verdict.ok else "**NOT PROVEN** — " + verdict.text[12:]
    return f"- {verdict.method}: {mark} ({verdict.seconds:.3f} s)\n"


def _forward_section() -> str:
    from symbolic import equations as eq
    from symbolic.latex import latex

    lines = ["## Forward equations (`symbolic/equations.py`)\n"]
    lines.append("One time step, a batch of m examples as columns; $\\circ$ is element-wise.\n")
    lines.append(_math(f"z = {latex(eq.PRE_ACTIVATION)}"))
    lines.append(_math(f"a_{{next}} = {latex(eq.STATE)}"))
    lines.append(_math(f"\\hat{{y}} = {latex(eq.OUTPUT)}"))
    lines.append("The cell loss whose gradients `rnn_cell_backward` documents:\n")
    lines.append(_math(f"L = {latex(eq.CELL_LOSS)}"))
    lines.append("The sequence loss whose gradients `rnn_backward` must return (here T_x = 2):\n")
    lines.append(_math(f"\\mathcal{{L}} = {latex(eq.sequence_loss(2))}"))
    return "\n".join(lines)


def _cell_section(matrix: list[Verdict], elementwise: list[Verdict], derive_seconds: float) -> str:
    from symbolic import documented, matrix_proof
    from symbolic.equations import a_next
    from symbolic.latex import latex

    raw = matrix_proof.derived_cell_gradients()
    lines = ["## Cell gradients (0)–(5)\n"]
    lines.append(
        f"SymPy's matrix calculus differentiated L with respect to z, Wax, Waa, ba, x_t and "
        f"a_prev in {derive_seconds:.3f} s. Its answers contain "
        f"$(d \\mapsto 1 - \\tanh^2 d)_\\circ(z)$, rewritten into ${latex(a_next)}$ form using "
        f"$a_{{next}} = \\tanh_\\circ(z)$. Formulas (1)–(5) are judged with $dz$ standing for "
        f"the derived $\\partial L / \\partial z$, so each verdict is about that formula alone.\n"
    )
    for name, by_matrix, by_entries in zip(documented.CELL_FORMULAS, matrix, elementwise):
        variable = latex(documented.WITH_RESPECT_TO[name])
        lines.append(f"### {by_matrix.subject} = ∂L/∂{documented.WITH_RESPECT_TO[name]}\n")
        lines.append("SymPy's derivative, then rewritten in $a_{next}$:\n")
        lines.append(_math(f"\\frac{{\\partial L}}{{\\partial {variable}}} = {latex(raw[name])}"))
        lines.append(_math(f"\\frac{{\\partial L}}{{\\partial {variable}}} = {by_matrix.derived}"))
        lines.append("Documented (`symbolic/documented.py`, EQUATIONS.md):\n")
        lines.append(_math(f"{_TEX_NAMES[name]} = {by_matrix.documented}"))
        lines.append(_verdict_line(by_matrix) + _verdict_line(by_entries))
    return "\n".join(lines)


def _through_time_section(verdicts: list[Verdict]) -> str:
    lines = ["## Backward through time\n"]
    lines.append(
        "The rule (`symbolic/through_time.py`): from t = T_x − 1 down to 0 the cell receives "
        "`da[:, :, t] + da_prev`, evaluated with the documented formulas (0)–(5); dWax, dWaa, dba "
        "are summed over the steps, dx⟨t⟩ is kept per step, da0 is the da_prev left after step 0. "
        "It is compared, entry by entry, with SymPy's derivative of the unrolled sequence loss "
        "$\\mathcal{L}$ (each tanh(z⟨t⟩) renamed to a free symbol h⟨t⟩ after differentiating, "
        "which makes both sides polynomials and the proof stronger and faster).\n"
    )
    lines.append(
        "Matrix level: not attempted. SymPy 1.14's matrix calculus through two nested tanh steps "
        "raises ShapeError when m ≠ n_a and returns wrong values when m = n_a, and a sum of traces "
        "differentiates to 0 (sympy issues 26585, 26561; measured in MEASURED.md).\n"
    )
    lines.extend(f"- {v.subject}: " + _verdict_line(v)[2:] for v in verdicts)
    return "\n".join(lines) + "\n"


def _softmax_section(verdicts: list[Verdict], notes: list[str]) -> str:
    from symbolic import documented
    from symbolic.latex import latex

    formulas = documented.SOFTMAX_FORMULAS
    lines = ["## Softmax\n"]
    lines.append("Jacobian of one column, and the gradient of softmax + cross-entropy:\n")
    lines.append(
        _math(f"\\frac{{\\partial \\hat{{y}}}}{{\\partial u}} = {latex(formulas['jacobian'])}")
    )
    lines.append(
        _math(f"\\frac{{\\partial CE}}{{\\partial u}} = {latex(formulas['cross_entropy'])}")
    )
    lines.append(
        "The second holds only when each column of y sums to 1; the proof substitutes that. "
        "Shift invariance, softmax(u − c) = softmax(u), is what licenses the per-column max-shift "
        "of the numeric oracle.\n"
    )
    lines.extend(f"- Matrix level: {note}\n" for note in notes)
    lines.extend(f"- {v.subject}: " + _verdict_line(v)[2:] for v in verdicts)
    return "\n".join(lines) + "\n"


def _summary(audit: Audit) -> str:
    lines = ["## Summary\n", "| subject | method | verdict | time (s) |", "|---|---|---|---|"]
    for v in audit.verdicts:
        text = v.text if v.ok else "NOT PROVEN: " + v.text[12:]
        text = text.replace("|", "\\|").replace("\n", " ")
        lines.append(f"| {v.subject} | {v.method} | {text} | {v.seconds:.3f} |")
    seconds = audit.seconds
    lines.append("")
    lines.append(
        f"SymPy import {seconds['import']:.2f} s, derivation {seconds['derivation']:.2f} s, "
        f"total {seconds['total']:.2f} s."
    )
    if audit.ok:
        lines.append("\n**Result: every documented formula and the through-time rule is proven.**")
    else:
        names = ", ".join(v.subject for v in audit.failures)
        lines.append(f"\n**Result: {len(audit.failures)} verdict(s) not proven: {names}.**")
    return "\n".join(lines) + "\n"


def run() -> Audit:
    """Run every proof once; the report and the tests both read the returned verdicts."""
    start = time.perf_counter()
    import sympy

    imported = time.perf_counter()
    from symbolic import elementwise_proof, matrix_proof

    matrix_proof.derived_cell_gradients()
    derived = time.perf_counter()
    matrix = matrix_proof.prove_cell_formulas()
    elementwise = elementwise_proof.cross_check_cell_formulas()
    through_time = elementwise_proof.check_through_time_all()
    softmax = elementwise_proof.check_softmax_all()
    notes = matrix_proof.softmax_matrix_level_attempts()
    audit = Audit(verdicts=matrix + elementwise + through_time + softmax)
    audit.sections = [
        f"# Symbolic audit of EQUATIONS.md\n\nGenerated by `python -m symbolic.audit` with "
        f"SymPy {sympy.__version__}. A verdict is *proven equal* when SymPy reduces "
        f"derived − documented to zero with no numerical tolerance; *cross-checked element-wise* "
        f"when every entry of that difference cancels to exactly 0 at the stated sizes.\n",
        _forward_section(),
        _cell_section(matrix, elementwise, derived - imported),
        _through_time_section(through_time),
        _softmax_section(softmax, notes),
    ]
    audit.seconds = {
        "import": imported - start,
        "derivation": derived - imported,
        "total": time.perf_counter() - start,
    }
    return audit


def render(audit: Audit) -> str:
    """The Markdown report (LaTeX in ``$$`` blocks, which GitHub renders)."""
    return "\n".join([*audit.sections, _summary(audit)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m symbolic.audit", description=__doc__)
    parser.add_argument("--output", metavar="FILE", help="write the report to FILE, not stdout")
    args = parser.parse_args(argv)
    audit = run()
    report = render(audit)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as handle:
            handle.write(report)
        status = "all proven" if audit.ok else f"{len(audit.failures)} not proven"
        print(f"symbolic audit: {status}; report written to {args.output}")
    else:
        sys.stdout.write(report)
    return 0 if audit.ok else 1


if __name__ == "__main__":
    sys.exit(main())
