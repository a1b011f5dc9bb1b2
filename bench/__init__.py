"""civic311 benchmarks: `make bench` (python -m bench --help)."""
