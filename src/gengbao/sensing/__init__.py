"""Imagery compute: spectral indices, cloud/shadow masks, change and abandonment detection, zonal statistics.

Pure NumPy over arrays (a window of a scene at a time); no file I/O here (``gengbao.adapters.raster`` reads
and writes scenes). An optional PyTorch back end (``gengbao.sensing.backend``) is imported lazily and only
when PyTorch is installed.
"""
