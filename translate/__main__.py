"""``python -m translate``: the command line."""

import sys

from translate.cli import main

sys.exit(main())
