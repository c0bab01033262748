"""The headless core of coder: files on disk in, plain Python values out.

Nothing in this package imports Textual, Rich or the UI package (enforced by an
import-linter contract and by ``tests/test_import_hygiene.py``).
"""
