"""The cleannews benchmark: a seeded corruption generator over the fixed test splits, metrics, speed.

``python -m cleannews.bench`` builds the benchmark (``build``) if it is missing and
runs it (``run``); see ``BENCHMARKS.md`` for the figures and how to reproduce them.
"""
