"""The one door for raster files (GeoTIFF / COG, and JPEG 2000 where the bundled GDAL reads it), with rasterio.

``source``: open a scene (one multi-band file or one file per band), recognise its bands, scale DN to
reflectance; ``grid``: the county's 10 m grid; ``store``: the workspace's scene store (``WS/imagery/``) of tiled,
compressed COGs; ``vector``: polygonise label rasters and rasterise polygons; ``preview``: PNG quicklooks.
"""
