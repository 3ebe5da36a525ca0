"""The monitoring compute engine: county tasks (diff, status findings, judge, cross-county orphans) run in
process or on Dask workers. NumPy/Shapely/Arrow kernels over the layer store; no database code."""
