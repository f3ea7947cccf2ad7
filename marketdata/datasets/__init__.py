"""Datasets: one module per dataset a user loads, each fetched, cached, parsed and bundled."""
