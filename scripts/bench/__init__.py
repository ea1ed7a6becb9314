"""Helpers for scripts/benchmark.py: project generator, measurement, peers and browser timing."""
