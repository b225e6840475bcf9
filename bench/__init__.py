"""townplan's benchmarks: each townplan path beside a plain-Python baseline doing the same
work, in one process and one run. ``python -m bench --help`` tells how to run them."""
