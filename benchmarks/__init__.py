"""CNAN benchmarks (see BENCHMARKS.md).

`python -m benchmarks <workload> --scale smoke|national|10x [--db sqlite|postgres]`."""
