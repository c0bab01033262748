"""The core is headless: it never imports Textual, Rich or coder.ui."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_import_linter_contract_holds():
    lint = Path(sys.executable).with_name("lint-imports")  # beside this interpreter, venv or not
    result = subprocess.run([str(lint) if lint.exists() else "lint-imports"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "KEPT" in result.stdout


def test_importing_every_core_module_loads_no_ui():
    code = (
        "import importlib, pkgutil, sys, coder.core as core\n"
        "for m in pkgutil.walk_packages(core.__path__, 'coder.core.'):\n"
        "    importlib.import_module(m.name)\n"
        "bad = sorted(n for n in sys.modules if n.split('.')[0] in ('textual', 'rich') or n.startswith('coder.ui'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
