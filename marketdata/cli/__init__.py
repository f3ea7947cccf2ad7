"""The ``marketdata`` command."""
