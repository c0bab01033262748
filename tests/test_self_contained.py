"""The suite runs on a fresh clone: no test reads data from beside the repository."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUTSIDE = ("REPO.parent", "../" + "shared", "/" + "shared/")


def test_no_test_reaches_outside_the_repository():
    offenders = [
        f"{path.relative_to(REPO)}:{n}: {line.strip()}"
        for path in sorted((REPO / "tests").rglob("*.py")) if path != Path(__file__).resolve()
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if any(marker in line for marker in OUTSIDE)
    ]
    assert not offenders, "\n".join(offenders)


def test_the_refi_schemas_and_samples_travel_with_the_tests():
    data = REPO / "tests" / "data" / "refi"
    assert (data / "Project.xsd").is_file() and (data / "Codebook.xsd").is_file()
    assert (data / "samples" / "synthetic_community_health.qdpx").is_file()
    assert "MIT" in (data / "LICENSE").read_text(encoding="utf-8")
