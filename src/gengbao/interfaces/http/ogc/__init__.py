"""OGC API Features (Part 1 Core, GeoJSON, Part 2 CRS for EPSG:4490) and Mapbox vector tiles over the
GeoParquet layer store: survey parcels and PBF per epoch, change patches per monitoring run."""
