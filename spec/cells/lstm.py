"""The LSTM half of the exercise (LSTM.md), described by its equations: one convention, the
course's."""

from rnnspec.spec.cell import from_equations

CELL = from_equations("rnnspec.symbolic.lstm", "the LSTM",
                      {"course": "rnnspec.impl.lstm.reference"}, order=1)
