"""Runners: how the pipeline's stages are executed (in process, or on a Dask cluster)."""
