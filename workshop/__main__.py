"""``python -m workshop`` runs the ``workshop`` command."""

import sys

from workshop.cli import main

sys.exit(main())
