"""The student edition's helpers: stripping solutions from notebooks, and its configuration."""

import importlib.util
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


def _load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


student_edition = _load("student_edition", ROOT / "_ext" / "student_edition.py")
student_config = _load("student_config", ROOT / "tools" / "student_config.py")


def md(text):
    return {"cell_type": "markdown", "metadata": {}, "source": text}


def code(text):
    return {"cell_type": "code", "metadata": {}, "source": text, "outputs": [], "execution_count": None}


def test_strip_solutions_removes_gated_and_plain_solutions():
    nb = {"cells": [
        md("## Exercises"),
        md("```{exercise} A\n:label: ex-a\n\nDo A.\n```"),
        md("```{solution-start} ex-a\n:class: dropdown\n```\nSECRET explanation"),
        code("print('SECRET code')"),
        md("```{solution-end}\n```"),
        md("```{exercise} B\n:label: ex-b\n\nDo B.\n```\n\n```{solution} ex-b\n:class: dropdown\n\nSECRET B\n```"),
        md("```{solution} ex-b\n:class: dropdown\n\nSECRET C\n```"),
        md("After."),
    ]}
    out, removed = student_edition.strip_solutions(nb)
    text = "\n".join(c["source"] for c in out["cells"])
    assert removed == 3
    assert "SECRET" not in text and "solution" not in text
    assert "Do A." in text and "Do B." in text and "After." in text
    assert len(out["cells"]) == 4


def test_strip_solutions_refuses_an_unclosed_gate():
    nb = {"cells": [md("```{solution-start} ex-a\n```"), code("x = 1")]}
    with pytest.raises(ValueError, match="no matching solution-end"):
        student_edition.strip_solutions(nb)


def test_every_chapter_has_gated_solutions_that_strip_cleanly():
    import json
    from test_colab_cell import NOTEBOOKS  # the notebooks _toc.yml lists
    assert NOTEBOOKS
    for path in NOTEBOOKS:
        nb = json.loads(path.read_text(encoding="utf8"))
        out, removed = student_edition.strip_solutions(nb)
        n_exercises = sum("{exercise}" in "".join(c["source"]) for c in nb["cells"])
        assert n_exercises >= 3, f"{path.name}: {n_exercises} exercises, want at least 3"
        assert removed >= n_exercises, f"{path.name}: {removed} solutions for {n_exercises} exercises"
        assert not any("{solution" in "".join(c["source"]) for c in out["cells"])


def test_student_config_changes_only_what_it_must():
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf8"))
    out = student_config.student_config(config, ROOT)
    assert out["sphinx"]["config"]["hide_solutions"] is True
    assert config["sphinx"]["config"].get("hide_solutions", False) is False, "the full edition shows solutions"
    assert out["launch_buttons"]["colab_url"] == "" and out["launch_buttons"]["binderhub_url"] == ""
    assert all(Path(p).is_absolute() and Path(p).is_dir() for p in out["sphinx"]["local_extensions"].values())
    assert out["repository"] == config["repository"] and out["execute"] == config["execute"]
    assert "student edition" in out["title"]
