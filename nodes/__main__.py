"""``python -m nodes``: the curator's command line (see :mod:`.cli`)."""

from __future__ import annotations

import sys

from .cli.main import main

if __name__ == "__main__":
    sys.exit(main())
