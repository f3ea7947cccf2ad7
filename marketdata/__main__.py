"""``python -m marketdata``: the ``marketdata`` command."""

import sys

from marketdata.cli import command

sys.exit(command())
