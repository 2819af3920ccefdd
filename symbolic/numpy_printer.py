"""Turn the derived MatrixSymbol expressions into NumPy functions.

SymPy 1.14's NumPy printer cannot print ``ElementwiseApplyFunction`` (lambdify emits
``Lambda(_d, tanh(_d)).(…)``, a SyntaxError) nor ``HadamardPower``. Two print methods fix that:
an element-wise function becomes a Python lambda applied to its argument (NumPy ufuncs are already
element-wise), a Hadamard power becomes ``numpy.power``. Everything else is SymPy's own printer,
so the generated code is a faithful transcription of the derived expression.
"""

from __future__ import annotations

from typing import Callable

import sympy as sp
from sympy.printing.numpy import NumPyPrinter


class _Printer(NumPyPrinter):
    def _print_ElementwiseApplyFunction(self, expr):
        function = expr.function
        (variable,) = function.variables
        body = self._print(function.expr)
        return f"(lambda {self._print(variable)}: {body})({self._print(expr.expr)})"

    def _print_HadamardPower(self, expr):
        power = self._module_format(self._module + ".power")
        return f"{power}({self._print(expr.base)}, {self._print(expr.exp)})"


def to_numpy(arguments: list[sp.Basic], expr: sp.Basic) -> Callable:
    """``lambdify(arguments, expr)`` for NumPy, with the two print methods above."""
    return sp.lambdify(arguments, expr, modules="numpy", printer=_Printer)
