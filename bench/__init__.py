"""Benchmarks of the portal build: a data-set generator and a side-by-side runner (`python -m bench.run`)."""
