"""Hypothesis properties: every check the suite runs against an implementation, in one registry."""
