"""A stand-in for Logic 2's `saleae` package, for running High Level Analyzers outside Logic 2 in
tests. Only `saleae.analyzers` is provided; see analyzers.py."""
