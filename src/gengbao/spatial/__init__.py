"""Spatial computations (CRS, areas, overlays). Imports domain only; no file or database I/O."""
