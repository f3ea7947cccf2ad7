"""``python -m marketdata``: the ``marketdata`` command."""

import sys

from marketdata.cli.commands import command

sys.exit(command())
