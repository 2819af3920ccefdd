"""Implementations shipped with the suite: the reference, the seed notebook, and the mutant
corpus."""
