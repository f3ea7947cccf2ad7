"""Every value of an OEWS data file is checked before the file enters the cache.

A value is a number as BLS writes it, or one of BLS's markers; anything else is refused by
``cache add`` (and by the download check) with the first bad line named.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from marketdata.cli.commands import main
from marketdata.core.config import get_settings
from marketdata.core.errors import SourceFormatError
from marketdata.io import cache
from marketdata.sources import oe
from tests.conftest import DATA

HEADER = (DATA / "oe" / oe.DATA_FILE).read_bytes().split(b"\r\n")[0]
SERIES = b"OEUN000000000000000000001     \t2025\tA01\t"


def _one_row(tmp_path: Path, value: bytes) -> Path:
    path = tmp_path / oe.DATA_FILE
    path.write_bytes(HEADER + b"\r\n" + SERIES + value + b"\t\r\n")
    return path


NOT_NUMBERS = [b"         abc", b"         nan", b"        -inf", b"      1,000"]


@pytest.mark.parametrize("value", NOT_NUMBERS)
def test_cache_add_refuses_a_value_that_is_not_a_number(
    tmp_path: Path, value: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _one_row(tmp_path, value)
    assert main(["cache", "add", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{oe.DATA_FILE}, line 2" in err
    assert f"value {value.strip().decode()!r} is neither a number nor one of BLS's markers" in err
    assert "Traceback" not in err
    assert cache.entries(settings=get_settings()) == []
    assert main(["cache", "verify"]) == 0
    assert "0 files checked" in capsys.readouterr().out


@pytest.mark.parametrize("value", [b"       12.50", b"      194720", b"           -", b"-", b"0"])
def test_numbers_and_markers_are_accepted(tmp_path: Path, value: bytes) -> None:
    oe.check_file(oe.DATA_FILE)(_one_row(tmp_path, value))


def test_the_first_bad_line_of_a_real_file_is_named(tmp_path: Path) -> None:
    for name in oe.FILES:
        shutil.copyfile(DATA / "oe" / name, tmp_path / name)
    data = tmp_path / oe.DATA_FILE
    lines = data.read_bytes().split(b"\r\n")
    for at in (400, 700):  # line numbers count from 1; the header is line 1
        lines[at - 1] = lines[at - 1].replace(b"\t2025\tA01\t", b"\t2025\tA01\t  x", 1)
    data.write_bytes(b"\r\n".join(lines))
    with pytest.raises(SourceFormatError, match=r"line 400: value 'x .*' is neither") as info:
        oe.check_file(oe.DATA_FILE)(data)
    assert info.value.line == 400
    with pytest.raises(SourceFormatError, match="line 400"):
        oe.parse({name: tmp_path / name for name in oe.FILES})
