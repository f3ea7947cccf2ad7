"""No machine's absolute paths in the project: staged data is ``../shared/data`` beside the
checkout, found relative to the file that needs it."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MACHINE_PATH = re.compile(r"(?<![\w.~])/(?:work|home|Users|root|mnt|tmp/pytest)/")
SUFFIXES = {".py", ".md", ".toml", ".ipynb", ".txt", ".cfg", ".json"}


def _project_files() -> list[Path]:
    found = [ROOT / "README.md", ROOT / "SECURITY.md", ROOT / "pyproject.toml"]
    for folder in ("bench", "tests", "marketdata", "notebooks"):
        found += [
            p
            for p in (ROOT / folder).rglob("*")
            if p.suffix in SUFFIXES and p.is_file() and "__pycache__" not in p.parts
        ]
    return [p for p in found if p.exists() and p != Path(__file__).resolve()]


def test_no_machine_specific_absolute_paths():
    offenders = []
    for path in _project_files():
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            if MACHINE_PATH.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:80]}")
    assert offenders == []
