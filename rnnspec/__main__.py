"""``python -m rnnspec``: the same as the ``rnnspec`` command."""

import sys

from rnnspec.cli import main

sys.exit(main())
