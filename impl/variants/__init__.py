"""Correct implementations that differ from the reference; the suite must pass every one."""
