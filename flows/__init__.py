"""Orchestration: Prefect flows over the pipeline, and the `leads` command line."""
