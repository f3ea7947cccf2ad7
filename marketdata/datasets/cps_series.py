"""Load CPS certification figures from the LE and LN time-series databases.

:func:`certification_series` reads the series of every certification status of each
occupation, with values from the database's flat data file (``via="file"``) or from the BLS
Public Data API (``via="api"``). The frame has the columns of
:data:`marketdata.sources.cps_annual.CERT_TABLE_COLUMNS`, like the annual table
:func:`marketdata.datasets.cps.certification_table`.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from marketdata.core.config import Settings, get_settings
from marketdata.core.errors import InputValueError, SourceFormatError
from marketdata.core.schema import attach_provenance
from marketdata.datasets import api, recipe
from marketdata.io import cache
from marketdata.sources import cps_annual as source
from marketdata.sources import cps_timeseries as timeseries

__all__ = ["DATABASES", "DATA_FILES", "certification_series"]

logger = logging.getLogger(__name__)

DATABASES = ("le", "ln")
#: Default data file of each database (BLS's "all data" file).
DATA_FILES = {"le": "le.data.1.AllData", "ln": "ln.data.1.AllData"}
#: ``*_code`` columns that may differ from "all" in the series we use; every other code
#: column of the series listing must be the all-categories code (all zeros).
_FREE_CODES = {
    "le": {"lfst_code", "earn_code", "occupation_code", "cert_code", "class_code", "tdata_code"},
    "ln": {"lfst_code", "periodicity_code", "occupation_code", "cert_code"},
}
_LN_EMPLOYED = "20"  # ln.lfst: 20 = Employed
_LN_THOUSANDS = 0  # ln.tdat: 0 = Number in thousands


def _text_check(*columns: str):
    def check(path: Path) -> None:
        with path.open("rb") as f:
            head = f.readline().decode("utf-8", "replace")
            f.seek(0, 2)
            size = f.tell()
            f.seek(max(0, size - 1))
            last = f.read(1)
        names = [c.strip() for c in head.split("\t")]
        missing = [c for c in columns if c not in names]
        if missing:
            raise SourceFormatError(
                f"first line {head[:80]!r} lacks {', '.join(missing)}; not a BLS "
                "time-series file (perhaps an HTML error page)",
                source=path.name,
                line=1,
            )
        if last != b"\n":
            raise SourceFormatError(
                "the file ends in the middle of a line (truncated download?)", source=path.name
            )

    return check


def _ts_file(
    database: str, name: str, columns: tuple[str, ...], settings: Settings, optional: bool = False
) -> recipe.File:
    """The time-series file ``name`` of ``database``, whose header must name ``columns``."""
    url = f"{settings.bls_download_url}/pub/time.series/{database}/{name}"
    return recipe.File(f"{database}/{name}", url, _text_check(*columns), optional=optional)


def _mapping(entry: cache.CachedFile, code: str, *, database: str) -> dict[str, str]:
    text = code.replace("_code", "_text")
    frame = timeseries.parse_timeseries_file(entry.path, source=entry.url, required=(code, text))
    return dict(zip(frame[code], frame[text], strict=True))


def _pick_series(series: pd.DataFrame, database: str, earn_text: dict[str, str]) -> pd.DataFrame:
    """The series of one measure by occupation x certification status, all else 'all'."""
    free = _FREE_CODES[database]
    codes = [c for c in series.columns if c.endswith("_code") and c not in free]
    numeric = series[codes].apply(pd.to_numeric, errors="coerce").fillna(1)
    keep = (numeric == 0).all(axis=1)
    if database == "le":
        medians = {
            k for k, v in earn_text.items() if "median" in v.lower() and "weekly" in v.lower()
        }
        keep &= series["earn_code"].isin(medians)
    else:
        keep &= series["lfst_code"] == _LN_EMPLOYED
        if "tdat_code" in series:
            keep &= pd.to_numeric(series["tdat_code"], errors="coerce") == _LN_THOUSANDS
    picked = series[keep].copy()
    picked["status"] = picked["cert_code"].map(timeseries.cert_status)
    if "seasonal" in picked:
        picked = picked.sort_values("seasonal", ascending=False)  # U before S
    dupes = picked.duplicated(["occupation_code", "status"])
    if dupes.any():
        logger.warning(
            "%s: %d series duplicate an occupation x status; keeping the first of each",
            database,
            int(dupes.sum()),
        )
    return picked[~dupes]


def certification_series(
    database: str = "le",
    *,
    release: int | None = None,
    via: str = "file",
    data_file: str | None = None,
    settings: Settings | None = None,
    refresh: bool = False,
) -> pd.DataFrame:
    """Certification figures by occupation group from the LE or LN time-series database.

    Series are chosen from ``<db>.series``: every certification status (``cert_code`` 0-4,
    labels from ``<db>.cert``) of each occupation (``<db>.occupation``), with every other
    dimension at its all-categories code. LE gives median usual weekly earnings of
    full-time wage and salary workers (``<db>.earn`` text "median ... weekly"); LN gives
    the number employed (``lfst_code`` 20, thousands), from which shares are computed.

    Parameters
    ----------
    database
        ``"le"`` (earnings) or ``"ln"`` (employment and shares).
    release
        The CPS release: the year whose annual average is used (period ``A01``); default
        the latest in the data.
    via
        ``"file"``: values from the database's data file (``data_file``, default
        ``<db>.data.1.AllData``); ``"api"``: from the BLS Public Data API.

    Returns
    -------
    DataFrame
        :data:`~marketdata.sources.cps_annual.CERT_TABLE_COLUMNS` (hierarchy columns ``level`` and
        ``path`` are empty: the series files do not carry it).
    """
    settings = get_settings(settings)
    if database not in DATABASES:
        raise InputValueError("CPS database", database, suggestions=DATABASES)
    if via not in ("file", "api"):
        raise InputValueError("source", via, suggestions=("file", "api"))
    files = {
        "series": _ts_file(
            database,
            f"{database}.series",
            ("series_id", "occupation_code", "cert_code"),
            settings,
        ),
        "cert": _ts_file(database, f"{database}.cert", ("cert_code", "cert_text"), settings),
        "occupation": _ts_file(
            database, f"{database}.occupation", ("occupation_code", "occupation_text"), settings
        ),
    }
    if database == "le":
        files["earn"] = _ts_file(database, "le.earn", ("earn_code", "earn_text"), settings)
    got = recipe.fetch(files.values(), settings=settings, refresh=refresh)
    fetched = {part: got[file.key] for part, file in files.items()}
    series = timeseries.parse_timeseries_file(
        fetched["series"].path,
        source=fetched["series"].url,
        required=("series_id", "occupation_code", "cert_code"),
    )
    cert_text = _mapping(fetched["cert"], "cert_code", database=database)
    occupation_text = _mapping(fetched["occupation"], "occupation_code", database=database)
    earn_text = (
        _mapping(fetched["earn"], "earn_code", database=database) if "earn" in fetched else {}
    )
    unknown = set(series["cert_code"]) - set(cert_text)
    if unknown:
        raise SourceFormatError(
            f"cert_code(s) {sorted(unknown)} are not in {database}.cert",
            source=fetched["series"].url,
        )
    picked = _pick_series(series, database, earn_text)
    if picked.empty:
        raise SourceFormatError(
            f"no {database} series by certification status found in {database}.series",
            source=fetched["series"].url,
        )
    ids = picked["series_id"].tolist()
    provenance = [
        f.provenance(program="CPS", release=f"{database} series") for f in fetched.values()
    ]
    if via == "file":
        name = data_file or DATA_FILES[database]
        data = _ts_file(database, name, ("series_id", "year", "period", "value"), settings)
        foot = _ts_file(
            database,
            f"{database}.footnote",
            ("footnote_code", "footnote_text"),
            settings,
            optional=True,  # footnotes only explain gaps
        )
        got = recipe.fetch([data, foot], settings=settings, refresh=refresh)
        data_entry = got[data.key]
        footnotes: dict[str, str] = {}
        try:
            if foot.key in got:
                footnotes = _mapping(got[foot.key], "footnote_code", database=database)
        except SourceFormatError as err:
            logger.info("%s does not parse (%s); missing values keep their codes", foot.key, err)
        inputs = [fetched["series"], data_entry]
        values = recipe.cached_frame(
            f"cps/{database}-certification-values",
            inputs,
            lambda: timeseries.parse_data(
                data_entry.path, source=data_entry.url, series_ids=ids, footnotes=footnotes
            ),
            settings=settings,
        )
        provenance.append(data_entry.provenance(program="CPS", release=name))
    else:
        end = release or pd.Timestamp.now().year - 1
        answer = api.series(ids, start=end if release else end - 2, end=end, settings=settings)
        values = answer.rename(columns={"footnote_text": "note"})[
            ["series_id", "year", "period", "value", "note"]
        ]
        provenance.extend(answer.attrs.get("provenance", []))
    values = values[values["period"] == "A01"]
    if values.empty:
        raise SourceFormatError(
            f"no annual (A01) values for the {len(ids)} {database} certification series",
            source=database,
        )
    chosen = int(release) if release else int(values["year"].max())
    values = values[values["year"] == chosen].set_index("series_id")
    picked = picked.assign(
        value=picked["series_id"].map(values["value"]),
        note=picked["series_id"].map(values["note"]).fillna("no value for this year"),
    )
    frame = _to_cert_frame(picked, database, occupation_text, chosen)
    return attach_provenance(frame, provenance)


def _to_cert_frame(
    picked: pd.DataFrame, database: str, occupation_text: dict[str, str], year: int
) -> pd.DataFrame:
    wide = picked.pivot(index="occupation_code", columns="status", values="value")
    notes: dict[str, list[str]] = {}
    gaps = picked[picked["value"].isna()]
    for code, status, note in zip(
        gaps["occupation_code"], gaps["status"], gaps["note"], strict=True
    ):
        notes.setdefault(code, []).append(f"{status}: {note}")
    order = list(dict.fromkeys(picked.sort_values("series_id")["occupation_code"]))
    out = pd.DataFrame(index=pd.Index(order, name="occupation_code"))
    out["group"] = [occupation_text.get(code, code) for code in order]
    out["level"] = pd.NA
    out["path"] = ""
    out["year"] = year
    for column in source.CERT_TABLE_COLUMNS[4:-1]:
        out[column] = float("nan")
    for status in wide.columns:
        if database == "le":
            out[f"median_weekly_{status}"] = wide[status]
        elif status == "total":
            out["employed"] = wide[status]
        else:
            out[f"share_{status}"] = (
                wide[status] / wide["total"] * 100 if "total" in wide else float("nan")
            )
    out["note"] = ["; ".join(notes.get(code, [])) for code in out.index]
    out = out.reset_index(drop=True)[list(source.CERT_TABLE_COLUMNS)]
    out["level"] = out["level"].astype("Int64")
    out["year"] = out["year"].astype("Int64")
    return out
