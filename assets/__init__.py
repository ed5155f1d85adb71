"""Thin asset definitions: each wires a function of `ittisal` to storage."""
