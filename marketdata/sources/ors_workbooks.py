"""BLS Occupational Requirements Survey (ORS): complete-dataset workbook and ``or.*`` files.

Two layouts of the same estimates, both read into :data:`COLUMNS`:

- The complete-dataset workbook (``{settings.bls_www_url}/web/ors/ors-complete-dataset.xlsx``):
  a ``File information`` sheet (release title and date, technical note, field list; the 2018
  workbook also lists the footnotes there), a ``Footnote codes`` sheet (2020) and one data sheet
  (``ORS 2020 dataset``; ``ORS_2018``) with SERIES_ID, SERIES_TITLE, the SOC code (``SOC 2018
  CODE`` six digits, or ``O*NET-SOC 2010 CODE`` eight), OCCUPATION, REQUIREMENT, CATEGORY,
  ESTIMATE, STANDARD ERROR and three footnote columns. ``-`` marks an estimate or standard
  error BLS does not show; its footnote says why (e.g. 1 "Estimate is less than 0.5 percent").
- The time-series flat files (``{settings.bls_download_url}/pub/time.series/or/``):
  ``or.series`` (codes and titles), ``or.data.1.AllData`` (estimates), ``or.aspect`` (standard
  errors, aspect ``E``), and the mapping files ``or.occupation``, ``or.estimate``,
  ``or.category`` and ``or.footnote``. A series id is ``OR`` + seasonal + requirement +
  ownership (1) + industry (4) + occupation (3) + job characteristic (3) + estimate (5).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd

from marketdata.core.config import Settings, get_settings
from marketdata.core.errors import SourceFormatError
from marketdata.sources import KnownFile, is_reader_error
from marketdata.sources.cps_annual import parse_timeseries_file
from marketdata.sources.workbook_limits import check_workbook

#: Columns of every parsed ORS frame.
COLUMNS: tuple[str, ...] = (
    "series_id",
    "soc_code",
    "soc_system",
    "occupation",
    "category",
    "estimate_code",
    "estimate_text",
    "datatype",
    "estimate",
    "standard_error",
    "estimate_note",
    "standard_error_note",
    "series_note",
    "release",
)
#: Flat files read by :func:`parse_timeseries` (name -> required columns).
TIMESERIES_FILES: dict[str, tuple[str, ...]] = {
    "or.series": ("series_id", "soc_code", "estimate_code", "category_code", "series_title"),
    "or.data.1.AllData": ("series_id", "year", "period", "value", "footnote_codes"),
    "or.aspect": ("series_id", "year", "period", "aspect", "value", "footnote_codes"),
    "or.occupation": ("occupation_code", "soc_code", "occupation_text"),
    "or.estimate": ("estimate_code", "estimate_text"),
    "or.category": ("category_code", "category_text"),
    "or.footnote": ("footnote_code", "footnote_text"),
}
_DATA_SHEET = re.compile(r"^ORS[ _]\d{4}", re.I)
_TITLE_YEAR = re.compile(r"^\s*((?:19|20)\d\d) Occupational Requirements Survey", re.I)
_RELEASED = re.compile(
    r"(Release date:\s*[\d/]+|Estimates released [A-Za-z]+ \d{1,2}, \d{4}"
    r"(?:\s*Estimates updated [A-Za-z]+ \d{1,2}, \d{4})?)"
)
_HEADERS = {
    "SERIES ID": "series_id",
    "SERIES_ID": "series_id",
    "SERIES TITLE": "series_title",
    "SERIES_TITLE": "series_title",
    "SOC 2018 CODE": "soc",
    "O*NET-SOC 2010 CODE": "soc",
    "OCCUPATION": "occupation",
    "CATEGORY": "category",
    "ESTIMATE CODE": "estimate_code",
    "ESTIMATE TEXT": "estimate_text",
    "DATATYPE": "datatype",
    "ESTIMATE": "estimate",
    "STANDARD ERROR": "standard_error",
    "DATA FOOTNOTE": "data_footnote",
    "STANDARD ERROR FOOTNOTE": "se_footnote",
    "SERIES FOOTNOTE": "series_footnote",
}
_REQUIRED = ("series_id", "series_title", "soc", "occupation", "estimate", "standard_error")


def soc_code(raw: object) -> str:
    """``292072`` -> ``29-2072``; O*NET-SOC ``29207100`` -> ``29-2071``, ``29114101`` ->
    ``29-1141.01``."""
    text = str(raw).strip().split(".")[0].zfill(6)
    code = f"{text[:2]}-{text[2:6]}"
    return code + (f".{text[6:8]}" if len(text) == 8 and text[6:8] != "00" else "")


def _text(value: object) -> str:
    return "" if value is None or pd.isna(value) else " ".join(str(value).split())


def _notes(codes: object, footnotes: dict[str, str]) -> str:
    parts = [c.strip() for c in _text(codes).replace(";", ",").split(",") if c.strip()]
    return "; ".join(footnotes.get(p.upper(), footnotes.get(p, f"footnote {p}")) for p in parts)


def _numbers(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values.map(_text).str.replace(",", ""), errors="coerce")


def _missing_note(value: pd.Series, raw: pd.Series, note: pd.Series) -> pd.Series:
    """BLS's footnote where a value is not shown; a plain reason when BLS gives none."""
    shown = raw.map(_text)
    fallback = shown.map(lambda s: "not published (BLS shows '-')" if s == "-" else "not published")
    return note.where(value.notna() | (note != ""), fallback)


def _info(frames: dict[str, pd.DataFrame]) -> tuple[str, int, dict[str, str], bool, str]:
    """Release label, reference year, footnotes, whether preliminary, and BLS's release date."""
    info = next((f for n, f in frames.items() if n.lower().startswith("file inf")), None)
    if info is None:
        raise SourceFormatError("no 'File information' sheet; not an ORS complete-dataset workbook")
    cells = [_text(v) for v in info.to_numpy().ravel() if _text(v)]
    title = next((c for c in cells if _TITLE_YEAR.match(c)), "")
    if not title:
        raise SourceFormatError("the 'File information' sheet names no ORS reference year")
    year = _TITLE_YEAR.match(title)[1]
    released = _RELEASED.search(title)
    footnotes: dict[str, str] = {}
    sheet = next((f for n, f in frames.items() if n.lower().startswith("footnote")), None)
    rows = sheet.to_numpy().tolist() if sheet is not None else info.to_numpy().tolist()
    for row in rows:
        code, text = _text(row[0]), _text(row[1]) if len(row) > 1 else ""
        if text and re.fullmatch(r"\d{1,2}|[A-Za-z]", code):
            footnotes[code.upper()] = text
    preliminary = any("preliminary" in c.lower() for c in cells) or "P" in footnotes
    label = f"ORS {year}" + (" (preliminary)" if preliminary else "")
    return label, int(year), footnotes, preliminary, released[1] if released else ""


def parse_workbook(data: bytes | Path, *, source: str) -> pd.DataFrame:
    """Read an ORS complete-dataset workbook (2018 or 2020 layout) into :data:`COLUMNS`.

    ``attrs``: ``release`` (``"ORS 2020 (preliminary)"``), ``year``, ``released`` (BLS's
    words, e.g. ``"Release date: 12/22/2020"``), ``preliminary``, ``soc_system``, ``footnotes``.

    Raises
    ------
    SourceFormatError
        Not an xlsx, no ORS data sheet, or a required column is missing (named).
    """
    check_workbook(data, source)
    handle = data if isinstance(data, Path) else io.BytesIO(data)
    try:
        frames = pd.read_excel(handle, sheet_name=None, header=None, dtype=str, engine="calamine")
    except BaseException as err:
        if not is_reader_error(err):
            raise
        raise SourceFormatError(
            f"not an Excel workbook ({type(err).__name__}); expected BLS's ORS complete dataset",
            source=source,
        ) from None
    try:
        release, year, footnotes, preliminary, released = _info(frames)
    except SourceFormatError as err:
        raise SourceFormatError(str(err), source=source) from None
    name = next((n for n in frames if _DATA_SHEET.match(n)), None)
    if name is None:
        raise SourceFormatError(f"no ORS data sheet (sheets: {', '.join(frames)})", source=source)
    sheet = frames[name]
    header = [_text(h).upper() for h in sheet.iloc[0]]
    body = sheet.iloc[1:].copy()
    body.columns = [_HEADERS.get(h, h) for h in header]
    missing = [c for c in _REQUIRED if c not in body.columns]
    if missing:
        raise SourceFormatError(
            f"sheet {name!r} lacks column(s) {', '.join(missing)}; header: {', '.join(header)}",
            source=source,
            line=1,
        )
    body = body[body["series_id"].map(_text) != ""]
    soc_system = "O*NET-SOC 2010" if "O*NET" in " ".join(header) else "SOC 2018"
    title_tail = body["series_title"].map(_text).str.split("; ").str[-1]
    out = pd.DataFrame(
        {
            "series_id": body["series_id"].map(_text),
            "soc_code": body["soc"].map(soc_code),
            "soc_system": soc_system,
            "occupation": body["occupation"].map(_text),
            "category": body["category"].map(_text) if "category" in body else "",
            "estimate_code": body["estimate_code"].map(_text)
            if "estimate_code" in body
            else body["series_id"].str[-5:],
            "estimate_text": body["estimate_text"].map(_text)
            if "estimate_text" in body
            else title_tail,
            "datatype": body["datatype"].map(_text) if "datatype" in body else "",
        }
    )
    out["estimate"] = _numbers(body["estimate"])
    out["standard_error"] = _numbers(body["standard_error"])
    for column, codes in (
        ("estimate_note", "data_footnote"),
        ("standard_error_note", "se_footnote"),
        ("series_note", "series_footnote"),
    ):
        raw = body[codes] if codes in body else pd.Series("", index=body.index)
        out[column] = raw.map(lambda c: _notes(c, footnotes))
    out["estimate_note"] = _missing_note(out["estimate"], body["estimate"], out["estimate_note"])
    out["standard_error_note"] = _missing_note(
        out["standard_error"], body["standard_error"], out["standard_error_note"]
    )
    out["release"] = release
    out = out.reset_index(drop=True)[list(COLUMNS)]
    out.attrs.update(
        {
            "release": release,
            "year": year,
            "released": released,
            "preliminary": preliminary,
            "soc_system": soc_system,
            "footnotes": footnotes,
            "source": source,
        }
    )
    return out


def parse_timeseries(paths: dict[str, Path | bytes], *, source: str) -> pd.DataFrame:
    """Read the ``or.*`` flat files (:data:`TIMESERIES_FILES`) into :data:`COLUMNS`.

    Values of the latest year in ``or.data.1.AllData`` (annual period ``A01``) are used.
    """
    missing = [n for n in TIMESERIES_FILES if n not in paths]
    if missing:
        raise SourceFormatError(f"missing ORS flat file(s): {', '.join(missing)}", source=source)
    t = {
        name: parse_timeseries_file(paths[name], source=name, required=cols)
        for name, cols in TIMESERIES_FILES.items()
    }
    footnotes = dict(
        zip(
            t["or.footnote"]["footnote_code"].str.upper(),
            t["or.footnote"]["footnote_text"],
            strict=True,
        )
    )
    data = t["or.data.1.AllData"]
    data = data[data["period"] == "A01"]
    if data.empty:
        raise SourceFormatError("no annual (A01) values", source="or.data.1.AllData")
    year = int(pd.to_numeric(data["year"]).max())
    data = data[pd.to_numeric(data["year"]) == year].set_index("series_id")
    aspect = t["or.aspect"]
    aspect = aspect[(aspect["aspect"] == "E") & (pd.to_numeric(aspect["year"]) == year)]
    aspect = aspect[aspect["period"] == "A01"].set_index("series_id")
    series = t["or.series"]
    series = series[series["series_id"].isin(data.index)]
    names = t["or.occupation"].drop_duplicates("soc_code").set_index("soc_code")["occupation_text"]
    estimates = t["or.estimate"].set_index("estimate_code")["estimate_text"]
    categories = t["or.category"].set_index("category_code")["category_text"]
    ids = series["series_id"]
    raw_value = ids.map(data["value"]).fillna("")
    raw_se = ids.map(aspect["value"]).fillna("")
    series_notes = series.get("footnote_codes", "")
    preliminary = "P" in {c.strip().upper() for c in ",".join(series_notes).split(",")}
    release = f"ORS {year}" + (" (preliminary)" if preliminary else "")
    out = pd.DataFrame(
        {
            "series_id": ids,
            "soc_code": series["soc_code"].map(soc_code),
            "soc_system": "SOC 2018" if len(series["soc_code"].iloc[0]) <= 6 else "O*NET-SOC 2010",
            "occupation": series["soc_code"].map(names).fillna(""),
            "category": series["category_code"].map(categories).fillna(""),
            "estimate_code": series["estimate_code"],
            "estimate_text": series["estimate_code"].map(estimates).fillna(""),
            "datatype": series.get("datatype_code", ""),
            "estimate": _numbers(raw_value),
            "standard_error": _numbers(raw_se),
            "estimate_note": ids.map(data["footnote_codes"])
            .fillna("")
            .map(lambda c: _notes(c, footnotes)),
            "standard_error_note": ids.map(aspect["footnote_codes"])
            .fillna("")
            .map(lambda c: _notes(c, footnotes)),
            "series_note": pd.Series(series_notes, index=series.index).map(
                lambda c: _notes(c, footnotes)
            ),
            "release": release,
        }
    )
    out["estimate_note"] = _missing_note(out["estimate"], raw_value, out["estimate_note"])
    out["standard_error_note"] = _missing_note(
        out["standard_error"], raw_se, out["standard_error_note"]
    )
    out = out.reset_index(drop=True)[list(COLUMNS)]
    out.attrs.update(
        {"release": release, "year": year, "preliminary": preliminary, "source": source}
    )
    return out


_MEASURES = {
    "any": re.compile(r"\bcredentials are required$", re.I),
    "certification": re.compile(r"\bcertification is required$", re.I),
    "license": re.compile(r"\blicense is required$", re.I),
    "educational_certificate": re.compile(r"\beducational certificate is required$", re.I),
}


def credentials(frame: pd.DataFrame) -> pd.DataFrame:
    """The "... is required" shares of a parsed ORS frame, one row per occupation x measure.

    ``measure`` is ``any`` (credentials are required), ``certification``, ``license`` or
    ``educational_certificate``; matched on BLS's estimate text, which both layouts share.
    """
    text = frame["estimate_text"].str.strip()
    measure = pd.Series(pd.NA, index=frame.index, dtype="object")
    for name, pattern in _MEASURES.items():
        measure[text.str.contains(pattern)] = name
    out = frame.assign(measure=measure)[measure.notna()].reset_index(drop=True)
    out["measure"] = out["measure"].astype(str)
    out.attrs.update(frame.attrs)
    return out


def workbook_url(*, settings: Settings | None = None) -> str:
    """Where BLS publishes the current complete-dataset workbook."""
    return f"{get_settings(settings).bls_www_url}/web/ors/ors-complete-dataset.xlsx"


def workbook_key(year: int | None = None) -> str:
    """Cache key of the current workbook (``year=None``) or of one release's workbook."""
    return (
        "ors/ors-complete-dataset.xlsx" if year is None else f"ors/{year}/ors-complete-dataset.xlsx"
    )


def workbook_check(path: Path) -> None:
    """A cache check: the file parses as an ORS complete-dataset workbook."""
    parse_workbook(path, source=path.name)


def flat_file_check(name: str):
    """A cache check for the flat file ``name``: BLS's layout with its required columns."""

    def check(path: Path) -> None:
        parse_timeseries_file(path, source=name, required=TIMESERIES_FILES.get(name, ()))

    return check


_OR_FILE = re.compile(r"^or\.[a-z_0-9.]+?(?:\.txt)?$", re.I)


def identify(path: Path, *, settings: Settings | None = None) -> KnownFile | None:
    """ORS files saved by hand: an ``or.*`` flat file, or a complete-dataset workbook whose
    name says ORS (``ors-complete-dataset.xlsx``) or is BLS's 2018 ``2018_excel_output.xlsx``."""
    settings = get_settings(settings)
    path = Path(path)
    name = path.name
    if _OR_FILE.match(name):
        bls_name = name.removesuffix(".txt")
        return KnownFile(
            key=f"or/{bls_name}",
            url=f"{settings.bls_download_url}/pub/time.series/or/{bls_name}",
            description=f"BLS ORS time-series file {bls_name}",
            check=flat_file_check(bls_name),
        )
    lower = name.lower()
    if not lower.endswith(".xlsx") or not ("ors" in lower or "excel_output" in lower):
        return None
    parsed = parse_workbook(path, source=name)
    return KnownFile(
        key=workbook_key(parsed.attrs["year"]),
        url=workbook_url(settings=settings),
        description=f"BLS ORS complete dataset, {parsed.attrs['release']}",
        check=workbook_check,
    )
