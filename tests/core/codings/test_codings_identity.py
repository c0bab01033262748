"""Who the coder is: option, then CODER_NAME, then the settings file."""

from __future__ import annotations

from pathlib import Path

import pytest

from coder.core.codings import resolve_coder, settings_path, validate_coder_name
from coder.core.errors import CoderError


def write_settings(config: Path, text: str) -> Path:
    path = config / "coder" / "settings.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_option_beats_environment_beats_settings(tmp_path):
    write_settings(tmp_path, "coder: from-settings\n")
    env = {"XDG_CONFIG_HOME": str(tmp_path), "CODER_NAME": "from-env"}
    assert resolve_coder("from-option", env).name == "from-option"
    assert resolve_coder(None, env).name == "from-env"
    who = resolve_coder(None, {"XDG_CONFIG_HOME": str(tmp_path)})
    assert who.name == "from-settings"
    assert "settings.yaml" in str(who)  # shown as "from-settings (from .../settings.yaml)"


def test_settings_default_to_dot_config_in_home(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    assert settings_path({}) == tmp_path / ".config" / "coder" / "settings.yaml"


def test_no_name_anywhere_says_how_to_set_one(tmp_path):
    with pytest.raises(CoderError) as e:
        resolve_coder(None, {"XDG_CONFIG_HOME": str(tmp_path)})
    assert "CODER_NAME" in e.value.hint and "--coder" in e.value.hint


@pytest.mark.parametrize("name", ["ana", "Ben_2", "j.smith", "team-a", "x" * 64])
def test_file_name_safe_names_are_accepted(name):
    assert validate_coder_name(name) == name


@pytest.mark.parametrize(
    "name, why",
    [
        ("", "empty"),
        ("ana smith", "' '"),
        ("../etc", "'/'"),
        ("ana/ben", "'/'"),
        (".hidden", "start with a letter or digit"),
        ("..", "start with a letter or digit"),
        ("zoë", "'ë'"),
        ("x" * 65, "at most 64"),
    ],
)
def test_unsafe_names_are_refused_with_the_reason(name, why):
    with pytest.raises(CoderError, match="coder name") as e:
        validate_coder_name(name)
    assert why in str(e.value)


def test_a_bad_name_in_the_environment_says_where_it_came_from():
    with pytest.raises(CoderError, match="from CODER_NAME"):
        resolve_coder(None, {"CODER_NAME": "a b"})


def test_a_bad_name_in_settings_points_at_the_file(tmp_path):
    path = write_settings(tmp_path, "theme: dark\ncoder: 'a b'\n")
    with pytest.raises(CoderError) as e:
        resolve_coder(None, {"XDG_CONFIG_HOME": str(tmp_path)})
    assert e.value.file == str(path)


def test_broken_settings_yaml_reports_file_and_line(tmp_path):
    path = write_settings(tmp_path, "theme: dark\ncoder: [unclosed\n")
    with pytest.raises(CoderError, match="not valid YAML") as e:
        resolve_coder(None, {"XDG_CONFIG_HOME": str(tmp_path)})
    assert e.value.file == str(path) and e.value.line is not None


def test_not_required_returns_none_when_nobody_is_set_but_still_refuses_a_bad_name(tmp_path):
    env = {"XDG_CONFIG_HOME": str(tmp_path)}
    assert resolve_coder(None, env, required=False) is None
    with pytest.raises(CoderError):
        resolve_coder(None, {**env, "CODER_NAME": "a b"}, required=False)
    custom = tmp_path / "elsewhere.yaml"
    custom.write_text("coder: bea\n", encoding="utf-8")
    assert resolve_coder(None, env, settings_file=custom).name == "bea"
