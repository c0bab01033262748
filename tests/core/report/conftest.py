"""Report tests build on the export tests' fixture project."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "export"))

from export_fixture import fixture_project  # noqa: E402,F401  (a pytest fixture, requested by name)
