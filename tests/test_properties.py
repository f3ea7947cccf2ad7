"""Property-based tests: every parser and lookup, fed arbitrary bytes and strings.

Whatever comes in, only the package's own exceptions (:class:`MarketdataError` subclasses)
may come out, and their messages name the input (the file's name, or the value typed).
Inputs are both arbitrary and "nearly right": real BLS slices with bytes replaced, lines cut
or cells rewritten, since those reach deeper into the parsers than noise does.
"""

from __future__ import annotations

import io
import json
import re
import tempfile
import warnings
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from marketdata import reports
from marketdata.core import series_id
from marketdata.core.config import Settings
from marketdata.core.errors import InputValueError, MarketdataError, ReportError, SourceFormatError
from marketdata.datasets import api, api_limits, codes, oews_history, state_projections
from marketdata.reports import folders
from marketdata.sources import (
    api_answer,
    cps_timeseries,
    ep,
    oe,
    oews_archive,
    projections_central,
    soc_crosswalk,
)
from marketdata.sources import (
    cps_annual as cps,
)
from marketdata.sources.oews_archive.markers import parse_top_code
from marketdata.sources.oews_archive.members import check_zip
from tests.conftest import DATA

FAST = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SLOW = settings(FAST, max_examples=20)

OE = DATA / "oe"
ARCHIVE = DATA / "oews_archive"
EP_2024 = (DATA / "ep" / "occupation_2024-34.xlsx").read_bytes()
CPS53 = (DATA / "cps" / "cpsaat53_layout_2025.xlsx").read_bytes()
CROSSWALK_2018 = (ARCHIVE / "crosswalk" / "soc_2010_to_2018_crosswalk.xlsx").read_bytes()
CROSSWALK_2010 = (ARCHIVE / "crosswalk" / "soc_2000_to_2010_crosswalk.xls").read_bytes()
NV = (DATA / "projections_central" / "nv-longterm-2026-09-11-slice.json").read_bytes()
LE = DATA / "cps" / "le"

#: Characters BLS files are made of, and those that break them.
TEXT = st.text(
    st.sampled_from(list("0123456789-—–.,$#*~ \t\r\n\"'<>&;=ABCxyz()[]/\\%é²٣\x00\ufeff")),
    max_size=40,
)
ANY_TEXT = st.one_of(TEXT, st.text(max_size=60))


# Helpers ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def work() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="md-props-") as folder:
        yield Path(folder)


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def ours(call: Callable[[], Any], *names: str) -> Any:
    """Run ``call``; a MarketdataError must name one of ``names``; others propagate."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return call()
    except MarketdataError as err:
        text = str(err)
        assert any(n and n in text for n in names), f"{text!r} names none of {names}"
        return err


def named(value: object) -> tuple[str, ...]:
    """How a message may name a value the user typed."""
    return (repr(value), repr(str(value)), str(value).strip() or repr(value))


@st.composite
def mutated(draw: st.DrawFn, base: bytes) -> bytes:
    """``base`` with a few bytes replaced, inserted or deleted, or cut short."""
    data = bytearray(base)
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["replace", "insert", "delete", "truncate", "line"]))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if op == "replace" and data:
            data[at] = draw(st.sampled_from(list(b'\t\r\n-,.#*~ 09xX\x00\xff"')))
        elif op == "insert":
            data[at:at] = draw(st.one_of(TEXT.map(str.encode), st.binary(max_size=8)))
        elif op == "delete":
            del data[at : at + draw(st.integers(1, 30))]
        elif op == "truncate":
            del data[at:]
        else:  # duplicate or drop a whole line
            lines = bytes(data).split(b"\n")
            k = draw(st.integers(0, len(lines) - 1))
            if draw(st.booleans()):
                lines.insert(k, lines[k])
            else:
                del lines[k]
            data = bytearray(b"\n".join(lines))
    return bytes(data)


@st.composite
def truncated(draw: st.DrawFn, base: bytes) -> bytes:
    """``base`` cut short. (Binary .xls files get only this: python-calamine allocates a sheet's
    whole range, so random bytes that make a cell's row or column huge abort the process, see
    python-calamine's bug report 130; that risk is documented in SECURITY.md.)"""
    return base[: draw(st.integers(0, len(base) - 1))]


_CELL = re.compile(rb"(<v>|<t(?: [^>]*)?>)([^<]*)(</v>|</t>)")


@st.composite
def xlsx_cells(draw: st.DrawFn, base: bytes) -> bytes:
    """An xlsx whose cells (numbers and strings of one sheet) were rewritten, or whose sheet
    lost rows or was cut mid-XML."""
    src = zipfile.ZipFile(io.BytesIO(base))
    sheets = sorted(n for n in src.namelist() if n.startswith("xl/worksheets/sheet"))
    sheet = draw(st.sampled_from(sheets))
    xml = src.read(sheet)
    kind = draw(st.sampled_from(["cells", "cells", "rows", "cut"]))
    if kind == "cells":
        spans = list(_CELL.finditer(xml))
        for _ in range(draw(st.integers(1, 6))):
            if not spans:
                break
            m = spans[draw(st.integers(0, len(spans) - 1))]
            new = escape(draw(TEXT)).encode("utf-8", "surrogatepass")
            xml = xml[: m.start(2)] + new + xml[m.end(2) :] if xml[m.start(2) : m.end(2)] else xml
            spans = list(_CELL.finditer(xml))
    elif kind == "rows":
        rows = list(re.finditer(rb"<row[^>]*>.*?</row>", xml, re.S))
        if rows:
            m = rows[draw(st.integers(0, len(rows) - 1))]
            xml = xml[: m.start()] + xml[m.end() :]
    else:
        xml = xml[: draw(st.integers(0, len(xml)))]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, xml if info.filename == sheet else src.read(info))
    return out.getvalue()


def xlsx_or_noise(base: bytes) -> st.SearchStrategy[bytes]:
    return st.one_of(xlsx_cells(base), mutated(base), st.binary(max_size=300))


# OEWS flat files (sources/oe/) ------------------------------------------------------------

MAPPINGS = {name: (OE / name).read_bytes() for name in oe.MAPPING_FILES}
OE_DATA = (OE / oe.DATA_FILE).read_bytes()
READERS: dict[str, Callable[[Path], Any]] = {
    "oe.area": oe.read_areas,
    "oe.occupation": oe.read_occupations,
    "oe.industry": oe.read_industries,
    "oe.datatype": oe.read_datatypes,
    "oe.footnote": oe.read_footnotes,
    "oe.release": oe.read_release,
}


@FAST
@given(name=st.sampled_from(sorted(MAPPINGS)), data=st.data())
def test_oe_mapping_readers(work: Path, name: str, data: st.DataObject) -> None:
    raw = data.draw(st.one_of(mutated(MAPPINGS[name]), st.binary(max_size=200)))
    path = write(work, name, raw)
    ours(lambda: READERS[name](path), name)
    ours(lambda: oe.check_file(name)(path), name)


@FAST
@given(raw=st.one_of(mutated(OE_DATA), st.binary(max_size=300)))
def test_oe_data_file(work: Path, raw: bytes) -> None:
    path = write(work, oe.DATA_FILE, raw)
    ours(lambda: oe.read_values(path), oe.DATA_FILE)
    ours(lambda: oe.check_file(oe.DATA_FILE)(path), oe.DATA_FILE)


@FAST
@given(name=st.sampled_from(oe.FILES), data=st.data())
def test_oe_parse_with_one_damaged_file(work: Path, name: str, data: st.DataObject) -> None:
    """The full parse with one file damaged: a package error naming a file, or a frame."""
    base = OE_DATA if name == oe.DATA_FILE else MAPPINGS[name]
    paths = {n: OE / n for n in oe.FILES}
    paths[name] = write(work, name, data.draw(mutated(base)))
    result = ours(lambda: oe.parse(paths), *oe.FILES)
    if isinstance(result, pd.DataFrame):
        assert list(result.columns) == list(oe.COLUMNS)


def test_oe_parse_refuses_a_code_listed_twice(work: Path) -> None:
    """Found by the test above: a repeated line of oe.area crashed the lookup in pandas."""
    lines = MAPPINGS["oe.area"].split(b"\r\n")
    paths = {n: OE / n for n in oe.FILES}
    paths["oe.area"] = write(work, "oe.area", b"\r\n".join([*lines[:2], lines[1], *lines[2:]]))
    with pytest.raises(
        SourceFormatError, match=r"oe\.area, line 3: area 'N0000000' is listed twice"
    ):
        oe.parse(paths)


# OEWS archives (sources/oews_archive/) ---------------------------------------------------

ZIP21 = (ARCHIVE / "oesm21nat.zip").read_bytes()
ZIP00 = (ARCHIVE / "oes00nat.zip").read_bytes()


def _rezip(base: bytes, member: Callable[[bytes], bytes], rename: str | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = member(src.read(info))
            dst.writestr(rename or info.filename, body)
    return out.getvalue()


@st.composite
def archives(draw: st.DrawFn) -> tuple[bytes, int]:
    year, base = draw(st.sampled_from([(2021, ZIP21), (2000, ZIP00)]))
    inner = zipfile.ZipFile(io.BytesIO(base)).read(zipfile.ZipFile(io.BytesIO(base)).namelist()[0])
    kind = draw(st.sampled_from(["member", "zip", "name", "noise"]))
    if kind == "member":
        new = draw(xlsx_cells(inner) if year == 2021 else truncated(inner))
        return _rezip(base, lambda _: new), year
    if kind == "zip":
        return draw(mutated(base)), year
    if kind == "name":  # members named by the archive: paths, traversal, odd names
        name = draw(
            st.sampled_from(["../national_x.xlsx", "/abs/national_dl.xls", "a/b/national.xlsx"])
            | st.text(min_size=1, max_size=30)
        )
        assume("\x00" not in name)
        return _rezip(base, lambda b: b, rename=name), year
    return draw(st.binary(max_size=300)), year


@SLOW
@given(case=archives())
def test_archive_reader(work: Path, case: tuple[bytes, int]) -> None:
    raw, year = case
    release = oews_archive.release_for(year)
    label = release.zip_name("national")
    ours(lambda: oews_archive.read_archive(raw, release=release, name=label), label)
    path = write(work, label, raw)
    ours(lambda: oews_archive.archive_check("national", name=label)(path), label)
    ours(lambda: check_zip(path), label)


@FAST
@given(lines=st.lists(ANY_TEXT, max_size=5))
def test_archive_top_code_notes(lines: list[str]) -> None:
    top = parse_top_code(lines)
    assert top is None or (top.hourly >= 0 and top.annual >= 0)


# SOC crosswalks (sources/soc_crosswalk.py) ------------------------------------------------


@SLOW
@given(data=st.data())
def test_crosswalk_parser(work: Path, data: st.DataObject) -> None:
    old, new = soc_crosswalk.CROSSWALKS
    which = data.draw(st.sampled_from([old, new]))
    base = CROSSWALK_2010 if which is old else CROSSWALK_2018
    raw = data.draw(
        xlsx_or_noise(base) if which is new else st.one_of(truncated(base), st.binary())
    )
    name = which.key.rsplit("/", 1)[-1]
    result = ours(lambda: soc_crosswalk.parse(raw, crosswalk=which, name=name), name)
    if isinstance(result, pd.DataFrame):
        assert list(result.columns) == list(soc_crosswalk.COLUMNS) and len(result)
    path = write(work, name, raw)
    ours(lambda: soc_crosswalk.crosswalk_check(which)(path), name)


# Employment Projections (sources/ep/) ----------------------------------------------------


@SLOW
@given(raw=xlsx_or_noise(EP_2024), kind=st.sampled_from(sorted(ep.TABLE_TITLES)))
def test_ep_workbook_parser(work: Path, raw: bytes, kind: str) -> None:
    ours(lambda: ep.parse_workbook(raw, kind=kind, name="occupation.xlsx"), "occupation.xlsx")
    ours(lambda: ep.workbook_round(raw, name="occupation.xlsx"), "occupation.xlsx")
    path = write(work, "occupation.xlsx", raw)
    ours(lambda: ep.check_projections_workbook(path), "occupation.xlsx")
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as zf:
        zf.writestr("2024-34/occupation.xlsx", raw)
    archive = write(work, "2024-34.zip", zipped.getvalue())
    ours(lambda: ep.check_archive(archive), "2024-34.zip")


CSV = (DATA / "ep" / "employment_projections_2022-2032.csv").read_bytes()


@FAST
@given(raw=st.one_of(mutated(CSV), st.binary(max_size=300)))
@example(raw=b'"Occupation Title","Occupation Code","Employment 2022","Employment 2032')  # no rows
@example(raw=b"\x80\x81")  # not UTF-8
def test_ep_csv_parser(work: Path, raw: bytes) -> None:
    name = "Employment Projections.csv"
    ours(lambda: ep.parse_csv(raw, name=name), name)
    path = write(work, name, raw)
    ours(lambda: ep.check_csv(path), name)


@FAST
@given(text=st.one_of(ANY_TEXT, st.integers()))
def test_ep_round_names(text: object) -> None:
    result = ours(lambda: ep.normalize_round(text), *named(text))
    if isinstance(result, str):
        assert re.fullmatch(r"\d{4}-\d\d", result)
        assert ep.normalize_round(result) == result


# Projections Central (sources/projections_central.py) -------------------------------------

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | ANY_TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(ANY_TEXT, inner, max_size=3),
    max_leaves=8,
)


@st.composite
def longterm_answers(draw: st.DrawFn) -> Any:
    doc = json.loads(NV)
    rows = doc["rows"][: draw(st.integers(0, 3))]
    for row in rows:
        for field in draw(st.lists(st.sampled_from(sorted(row)), max_size=3, unique=True)):
            if draw(st.booleans()):
                row[field] = draw(JSON_VALUES)
            else:
                del row[field]
    doc["rows"] = rows
    if draw(st.booleans()):
        doc["pager"] = draw(JSON_VALUES)
    return draw(st.sampled_from([doc, doc, rows, draw(JSON_VALUES)]))


@FAST
@given(doc=longterm_answers(), noise=st.binary(max_size=200), as_bytes=st.booleans())
@example(doc={"rows": [], "pager": True}, noise=b"", as_bytes=False)  # pager not an object
@example(doc=[None], noise=b"", as_bytes=False)  # rows not objects
@example(doc={}, noise=b"", as_bytes=False)  # no rows
def test_projections_central_parser(work: Path, doc: Any, noise: bytes, as_bytes: bool) -> None:
    name = "longterm-32.json"
    source = json.dumps(doc).encode() if as_bytes else doc
    if not isinstance(source, bytes | dict | list):
        source = json.dumps(source).encode()
    result = ours(lambda: projections_central.parse_longterm(source, name=name), name)
    if isinstance(result, pd.DataFrame):
        assert list(result.columns) == list(projections_central.COLUMNS)
    if not isinstance(source, list):
        ours(lambda: projections_central.pager(source, name=name), name)
    for raw in (json.dumps(doc).encode(), noise):
        path = write(work, name, raw)
        ours(lambda path=path: projections_central.check_json(path), name)


# CPS tables and flat files (sources/cps.py) -----------------------------------------------


@SLOW
@given(raw=xlsx_or_noise(CPS53))
def test_cps_table_parsers(raw: bytes) -> None:
    ours(lambda: cps.parse_cpsaat(raw, source="cpsaat53.xlsx"), "cpsaat53.xlsx")
    ours(lambda: cps.parse_certification_table(raw, source="cpsaat53.xlsx"), "cpsaat53.xlsx")


LE_FILES = {p.name: p.read_bytes() for p in LE.iterdir()}


@FAST
@given(name=st.sampled_from(sorted(LE_FILES)), data=st.data())
def test_cps_timeseries_parsers(name: str, data: st.DataObject) -> None:
    raw = data.draw(st.one_of(mutated(LE_FILES[name]), st.binary(max_size=200)))
    ours(
        lambda: cps_timeseries.parse_timeseries_file(raw, source=name, required=("series_id",)),
        name,
    )
    ours(lambda: cps_timeseries.parse_data(raw, source=name, footnotes={"7": "x"}), name)


@FAST
@given(code=st.one_of(ANY_TEXT, st.integers()))
def test_cps_cert_codes(code: object) -> None:
    result = ours(lambda: cps_timeseries.cert_status(code), *named(code))
    assert isinstance(result, MarketdataError) or result in cps_timeseries.STATUS_LABELS


# BLS API answers (api.py, sources/api_answer.py) --------------------------------------------

OBSERVATION = st.fixed_dictionaries(
    {
        "year": st.one_of(st.sampled_from(["2024", "2025"]), ANY_TEXT, JSON_VALUES),
        "period": st.one_of(st.sampled_from(["A01", "M01", "M13", "Q01"]), JSON_VALUES),
        "value": st.one_of(st.sampled_from(["12.5", "-", "(8)", "1,234"]), JSON_VALUES),
    },
    optional={
        "periodName": JSON_VALUES,
        "footnotes": st.one_of(
            st.lists(st.one_of(st.just({}), st.fixed_dictionaries({"code": ANY_TEXT})), max_size=2),
            JSON_VALUES,
        ),
        "calculations": JSON_VALUES,
    },
)
IDS = ["OEUN000000000000029207213", "LNS14000000"]
SERIES = st.fixed_dictionaries(
    {
        "seriesID": st.one_of(st.sampled_from(IDS), JSON_VALUES),
        "data": st.one_of(st.lists(OBSERVATION, max_size=3), JSON_VALUES),
    },
    optional={"catalog": JSON_VALUES},
)
ANSWERS = st.one_of(
    st.fixed_dictionaries(
        {
            "status": st.one_of(st.just("REQUEST_SUCCEEDED"), JSON_VALUES),
            "message": st.one_of(st.lists(ANY_TEXT, max_size=2), JSON_VALUES),
            "Results": st.one_of(
                st.fixed_dictionaries({"series": st.lists(SERIES, max_size=3)}), JSON_VALUES
            ),
        }
    ),
    JSON_VALUES,
)


@FAST
@given(answer=ANSWERS, calculations=st.booleans())
def test_api_answers(answer: Any, calculations: bool) -> None:
    """An answer that passes the shape check (before it is cached) can be read into a frame."""
    url = "http://127.0.0.1/publicAPI/v2/timeseries/data/"
    checked = ours(lambda: api_answer.check_shape(answer, url), url)
    if isinstance(checked, MarketdataError):
        return
    query = api_limits.Query(tuple(IDS), 2024, 2025)
    record = {"answer": answer, "url": url, "retrieved": "2026-01-01T00:00:00+00:00", "sha256": ""}
    frame = ours(lambda: api._merge([query], [record], calculations=calculations), url)
    assert isinstance(frame, pd.DataFrame)


@FAST
@given(
    ids=st.one_of(ANY_TEXT, st.lists(ANY_TEXT, max_size=3)),
    start=st.one_of(st.none(), st.integers(), ANY_TEXT),
    end=st.one_of(st.none(), st.integers(), ANY_TEXT),
)
@example(ids=["LNS14000000"], start="²", end=None)  # a digit int() refuses
def test_api_request_planning(ids: Any, start: Any, end: Any) -> None:
    s = Settings(cache_dir=Path("unused"))
    names = [*named(ids), *named(start), *named(end)]
    for one in ids if isinstance(ids, list) else []:
        names += named(one)
    result = ours(lambda: api_limits.plan(ids, start=start, end=end, settings=s), *names)
    if isinstance(result, MarketdataError):
        assert isinstance(result, InputValueError)
    else:
        assert all(q.start <= q.end for q in result)


# Series ids (series_id.py) ----------------------------------------------------------------

ID_CHARS = st.text(st.sampled_from(list("OEUNSM0123456789-A ")), min_size=20, max_size=27)


@FAST
@given(ids=st.lists(st.one_of(ID_CHARS, ANY_TEXT), max_size=4))
def test_series_id_decode(ids: list[str]) -> None:
    frame = series_id.decode(ids)
    assert list(frame["series_id"]) == [str(i) for i in ids]
    for sid in ids:
        parsed = ours(lambda sid=sid: series_id.parse_oews_series_id(sid), *named(sid))
        if not isinstance(parsed, MarketdataError):
            assert str(parsed) == sid.strip().upper()


@FAST
@given(
    occupation=st.one_of(ANY_TEXT, st.sampled_from(["29-2072", "292072"])),
    area=st.one_of(ANY_TEXT, st.integers(), st.sampled_from(["OH", "Ohio", "18140", "US"])),
    industry=st.one_of(ANY_TEXT, st.just("000000")),
    datatype=st.one_of(ANY_TEXT, st.integers(), st.sampled_from(["annual_median", 13])),
)
@example(occupation="²²²²²²", area="²", industry="000000", datatype="²")
def test_series_id_builders(occupation: str, area: Any, industry: str, datatype: Any) -> None:
    built = ours(
        lambda: series_id.oews_series_id(
            occupation, area=area, industry=industry, datatype=datatype
        ),
        *named(occupation),
        *named(area),
        *named(industry),
        *named(datatype),
    )
    if isinstance(built, str):
        assert series_id.is_oews_series_id(built)
        assert str(series_id.parse_oews_series_id(built)) == built
    for call, value in (
        (series_id.area_code, area),
        (series_id.occupation_digits, occupation),
        (series_id.datatype_code, datatype),
    ):
        ours(lambda call=call, value=value: call(value), *named(value))


# Lookups (codes.py, oews_history, projections) --------------------------------------------


@FAST
@given(text=st.one_of(ANY_TEXT, st.integers(), st.sampled_from(["29-2072", "medical records"])))
def test_resolve_occupation(text: Any) -> None:
    found = ours(lambda: codes.resolve_occupation(text), *named(text))
    assert isinstance(found, codes.Occupation | InputValueError)


@FAST
@given(text=st.one_of(ANY_TEXT, st.integers(), st.sampled_from(["OH", "Columbus, OH", "39"])))
@example(text="²")  # str.isdigit() is True, int() refuses it
def test_resolve_area(text: Any) -> None:
    found = ours(lambda: codes.resolve_area(text), *named(text))
    assert isinstance(found, codes.Area | InputValueError)


@FAST
@given(text=st.one_of(ANY_TEXT, st.integers(), st.sampled_from(["622000", "622", "Hospitals"])))
def test_resolve_industry(text: Any) -> None:
    found = ours(lambda: codes.resolve_industry(text), *named(text))
    assert isinstance(found, codes.Industry | InputValueError)


@FAST
@given(text=st.one_of(ANY_TEXT, st.integers(), st.booleans()))
@example(text="²")
def test_release_and_state_lookups(text: Any) -> None:
    ours(lambda: oews_history.parse_release(text), *named(text))
    if isinstance(text, bool):  # a yes/no is no area: the wrong kind of value
        with pytest.raises(TypeError, match=f"area={text} is a bool"):
            state_projections.state_fips(text)
    else:
        ours(lambda: state_projections.state_fips(text), *named(text))
    ours(lambda: oews_archive.check_scope(text), *named(text))


# Report folders (reports.folders) ---------------------------------------------------------


@FAST
@given(text=st.text(max_size=300))
def test_report_slugs_stay_inside_outputs(work: Path, text: str) -> None:
    slug = reports.slugify(text)
    assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug), slug
    assert len(slug) <= 80 and slug not in ("con", "nul", "aux", "prn")
    root = work / "outputs"
    for name in reports.REPORTS:
        path = folders.inside(root, name, slug)
        assert path.parent.parent == root.resolve()
        assert path.name == slug


@SLOW
@given(area=st.one_of(ANY_TEXT, st.sampled_from(["../../etc", "/tmp/x", "OH", "..", "."])))
def test_report_plans_from_untrusted_names(work: Path, area: str) -> None:
    """Planning a report with an area typed by anyone: a package error, or a folder inside
    the output folder."""
    s = Settings(cache_dir=work / "cache", offline=True)
    root = work / "outputs"
    plan = ours(
        lambda: reports.plan("regional_salary_report", output_dir=root, settings=s, area=area),
        *named(area),
    )
    if isinstance(plan, MarketdataError):
        assert isinstance(plan, InputValueError | ReportError)
    else:
        assert plan.target.is_relative_to(root.resolve()) and plan.target != root.resolve()
        assert re.fullmatch(r"[a-z0-9-]+", plan.target.name)
