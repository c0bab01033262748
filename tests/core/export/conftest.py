"""Fixtures for the export tests: the hand-computable project of ``export_fixture``."""

from __future__ import annotations

import pytest

from export_fixture import coded_project


@pytest.fixture(scope="module")
def fixture_project(tmp_path_factory):
    return coded_project(tmp_path_factory.mktemp("fixture"))
