"""``python -m marketdata``: the ``marketdata`` command."""

import sys

from marketdata.cli import main

sys.exit(main())
