"""The GRU (Cho et al. 2014, GRU.md), described by its equations: one convention, GRU.md's."""

from rnnspec.spec.cell import from_equations

CELL = from_equations("rnnspec.symbolic.gru", "the GRU",
                      {"course": "rnnspec.impl.gru.reference"}, order=2)
