"""Project settings: ``coder.yaml`` at the project root (optional).

::

    name: My evaluation
    codebook: codebooks/social-determinants.yaml   # default: the only/first codebooks/*.yaml
    transcripts: transcripts                       # folder of transcripts
    participants: transcripts/participants.csv      # optional participant table
    outcomes: transcripts/outcomes.yaml             # optional outcomes definition
    model: all-MiniLM-L6-v2                         # or any sentence-transformers name or path
    fine_tune: false                                # true: fine-tune the model on the codings (README)
    fine_tune_after: 100                            # coded passages before the first fine-tuning round
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from coder.core.errors import CoderError, Problem, Severity
from coder.core.yamlfile import read_yaml

CONFIG_FILE = "coder.yaml"
DEFAULT_MODEL = "all-MiniLM-L6-v2"
KNOWN_KEYS = {"name", "codebook", "transcripts", "participants", "outcomes", "model", "fine_tune", "fine_tune_after"}
FINE_TUNE_AFTER = 100  # coded passages before fine-tuning is worth a round (figures in the README)


@dataclass(frozen=True)
class ProjectConfig:
    root: Path
    name: str
    codebook: Path | None
    transcripts: Path
    participants: Path | None
    outcomes: Path | None
    model: str = DEFAULT_MODEL
    fine_tune: bool = False  # fine-tune the model on the project's codings in the background
    fine_tune_after: int = FINE_TUNE_AFTER  # coded passages before the first round

    @property
    def codings(self) -> Path:
        return self.root / "codings"

    @property
    def exports(self) -> Path:
        return self.root / "exports"

    @property
    def cache(self) -> Path:
        return self.root / ".coder"


def load_config(root: Path) -> tuple[ProjectConfig, list[Problem]]:
    root = root.resolve()
    path = root / CONFIG_FILE
    data: dict = {}
    problems: list[Problem] = []
    if path.exists():
        data, problems = read_yaml(path)
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise CoderError("coder.yaml must be a mapping of settings", file=path, line=1)
        for key in data:
            if key not in KNOWN_KEYS:
                problems.append(Problem(str(path), data.line_of(key), f"unknown setting '{key}'", Severity.WARNING,
                                        hint=f"known settings: {', '.join(sorted(KNOWN_KEYS))}"))

    def opt(key: str, default: str | None) -> Path | None:
        value = data.get(key, default)
        return (root / str(value)) if value else None

    codebook = opt("codebook", None)
    if codebook is None:
        found = sorted((root / "codebooks").glob("*.yaml")) + sorted((root / "codebooks").glob("*.yml"))
        codebook = found[0] if found else None
    transcripts = opt("transcripts", "transcripts")
    participants = opt("participants", None)
    if participants is None and (transcripts / "participants.csv").exists():
        participants = transcripts / "participants.csv"
    outcomes = opt("outcomes", None)
    if outcomes is None and (transcripts / "outcomes.yaml").exists():
        outcomes = transcripts / "outcomes.yaml"
    config = ProjectConfig(
        root=root,
        name=str(data.get("name") or root.name),
        codebook=codebook,
        transcripts=transcripts,
        participants=participants,
        outcomes=outcomes,
        model=str(data.get("model") or DEFAULT_MODEL),
        fine_tune=_flag(data, "fine_tune", path, problems),
        fine_tune_after=_count(data, "fine_tune_after", FINE_TUNE_AFTER, path, problems),
    )
    return config, problems


def _flag(data, key: str, path: Path, problems: list[Problem]) -> bool:
    value = data.get(key, False)
    if isinstance(value, bool):
        return value
    problems.append(Problem(str(path), data.line_of(key), f"setting '{key}' must be true or false, not {value!r}",
                            Severity.WARNING, hint=f"write '{key}: true' or '{key}: false'; it is off until then"))
    return False


def _count(data, key: str, default: int, path: Path, problems: list[Problem]) -> int:
    value = data.get(key, default)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    problems.append(Problem(str(path), data.line_of(key), f"setting '{key}' must be a whole number of 1 or more, "
                            f"not {value!r}", Severity.WARNING, hint=f"write '{key}: {default}'; {default} is used "
                            "until then"))
    return default


def is_project(root: Path) -> bool:
    """A project's root folder holds ``coder.yaml`` or a ``codebooks/`` folder."""
    return (root / CONFIG_FILE).exists() or (root / "codebooks").is_dir()


def find_project(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` that is a project root (as git finds a repository), or None."""
    here = Path(start).resolve()
    for folder in (here, *here.parents):
        if is_project(folder):
            return folder
    return None
