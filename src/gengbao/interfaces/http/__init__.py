"""HTTP interface: the FastAPI application (``create_app``), its routers per capability and OGC API
Features with vector tiles (``ogc``)."""
