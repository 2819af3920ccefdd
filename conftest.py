"""Load rnnspec's pytest plugin (``rnnspec/pytest_plugin.py``) in a checkout that is not installed.

Installed with ``pip install -e .``, the plugin is already loaded through its entry point.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
if "rnnspec.pytest_plugin" not in sys.modules:
    pytest_plugins = ["rnnspec.pytest_plugin"]
