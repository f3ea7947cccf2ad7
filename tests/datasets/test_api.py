"""BLS Public Data API v2 client, end to end against a local server speaking the API's JSON."""

from __future__ import annotations

import json
import logging
import math
import warnings
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from marketdata.core.config import Settings
from marketdata.core.errors import (
    ApiError,
    InputValueError,
    MissingSeriesWarning,
    OfflineDataWarning,
    OfflineError,
    RateLimited,
    SourceFormatError,
    SuppressedValuesWarning,
)
from marketdata.core.schema import provenance_of
from marketdata.core.series_id import DATATYPES, oews_series_id
from marketdata.datasets import api, api_limits, oews
from marketdata.sources import api_answer, oe
from tests.bls_server import Answer, Request

DATA = Path(__file__).parents[1] / "data" / "api"
KEY = "0123456789abcdef0123456789abcdef"  # a made-up registration key
PATH = api.ENDPOINT
JSON = {"Content-Type": "application/json"}


def observation(year: int, period: str, value: str, footnote: dict | None = None) -> dict:
    """One observation in the shape BLS documents."""
    names = {"A01": "Annual", "M01": "January", "M02": "February", "M13": "Annual"}
    return {
        "year": str(year),
        "period": period,
        "periodName": names.get(period, period),
        "value": value,
        "footnotes": [footnote or {}],
    }


class FakeApi:
    """Answers like BLS from ``data`` (series id -> observations) and checks BLS's limits."""

    def __init__(self, data: dict[str, list[dict]]):
        self.data = data
        self.payloads: list[dict] = []

    def __call__(self, request: Request) -> Answer:
        assert request.method == "POST"
        payload = json.loads(request.body)
        self.payloads.append(payload)
        registered = "registrationkey" in payload
        ids = payload["seriesid"]
        start, end = int(payload["startyear"]), int(payload["endyear"])
        assert len(ids) <= (50 if registered else 25)
        assert end - start + 1 <= (20 if registered else 10)
        series, messages = [], []
        for sid in ids:
            if sid not in self.data:
                messages.append(f"Series does not exist for Series {sid}")
                series.append({"seriesID": sid, "data": []})
                continue
            found = [o for o in self.data[sid] if start <= int(o["year"]) <= end]
            years = {int(o["year"]) for o in found}
            messages += [
                f"No Data Available for Series {sid} Year: {y}"
                for y in range(start, end + 1)
                if y not in years
            ]
            series.append({"seriesID": sid, "data": sorted(found, key=lambda o: o["year"])[::-1]})
        body = {
            "status": "REQUEST_SUCCEEDED",
            "responseTime": 12,
            "message": messages,
            "Results": {"series": series},
        }
        return Answer(200, JSON, json.dumps(body).encode())


def fixed(body: bytes, status: int = 200) -> callable:
    return lambda request: Answer(status, JSON, body)


def annual(ids: list[str], years: range) -> dict[str, list[dict]]:
    return {
        sid: [observation(y, "A01", str(i * 1000 + y)) for y in years] for i, sid in enumerate(ids)
    }


@pytest.fixture
def keyed(online_settings):
    return online_settings.replace(api_key=KEY)


def posts(server) -> int:
    return server.count(PATH, "POST")


# OEWS values through the API equal the flat files' -----------------------------------------

OE = Path(__file__).parents[1] / "data" / "salary" / "oe"  # real May 2025 flat-file slice


def oews_answers() -> dict[str, list[dict]]:
    answer = json.loads((DATA / "oews-2025-answer.json").read_text())
    return {s["seriesID"]: s["data"] for s in answer["Results"]["series"]}


@pytest.fixture
def oews_api(bls_server) -> dict[str, list[dict]]:
    data = oews_answers()
    bls_server.add_handler(PATH, FakeApi(data))
    return data


@pytest.mark.parametrize("with_key", [True, False])
def test_oews_batches(bls_server, online_settings, oews_api, with_key):
    settings = online_settings.replace(api_key=KEY if with_key else None)
    with pytest.warns(SuppressedValuesWarning, match="'-'"):
        df = api.series(list(oews_api), start=2025, end=2025, settings=settings)
    assert len(df) == len(oews_api) == 600
    assert posts(bls_server) == (12 if with_key else 24)
    assert set(df["year"]) == {2025}
    assert set(df["period"]) == {"A01"}


def test_oews_values_equal_the_flat_files(bls_server, online_settings, oews_api):
    for name in oe.FILES:
        bls_server.add(oews.OE_PATH + name, OE / name)
    flat = oews.load(settings=online_settings)
    cells = flat[["area_code", "occupation_code"]].drop_duplicates()
    assert len(cells) == 32  # 35 cells, 3 not published (e.g. cardiologists in Elmira)
    ids = [
        oews_series_id(occupation, area=area, datatype=code)
        for area, occupation in cells.itertuples(index=False)
        for code in DATATYPES
    ]
    with (
        pytest.warns(MissingSeriesWarning),  # the nation has no location quotient, per 1,000
        pytest.warns(SuppressedValuesWarning),
    ):
        got = api.series(ids, start=2025, end=2025, settings=online_settings.replace(api_key=KEY))
    assert (got["series_id"].nunique(), len(ids)) == (534, 544)
    keys = ["area_code", "occupation_code"]
    long = flat.melt(id_vars=keys, value_vars=list(DATATYPES.values()), value_name="flat")
    flags = flat.melt(id_vars=keys, value_vars=list(oe.TOPCODE_COLUMNS.values()), value_name="top")
    flags["variable"] = flags["variable"].str.removeprefix("is_topcoded_")
    long = long.merge(flags, on=[*keys, "variable"], how="left").rename(
        columns={"variable": "measure"}
    )
    merged = got.merge(long, on=[*keys, "measure"], validate="1:1")
    assert len(merged) == len(got)
    merged["topcoded"] = merged["top"].eq(True)  # no flag: not a wage
    plain = merged[~merged["topcoded"]]
    pd.testing.assert_series_equal(plain["value"], plain["flat"].astype(float), check_names=False)
    assert plain["value"].notna().sum() > 400
    # a top-coded wage: missing in the API (footnote 5), the bound and a flag in the frame
    capped = merged[merged["topcoded"]]
    assert len(capped) > 0
    assert capped["value"].isna().all()
    assert (capped["footnote_codes"] == "5").all()
    assert set(capped["flat"]) <= {115.0, 239200.0}
    # published figures (MANIFEST: May 2025, 29-2072)
    value = got.set_index("series_id")["value"]
    assert value[oews_series_id("29-2072")] == 51140
    assert value[oews_series_id("29-2072", datatype="hourly_median")] == 24.59
    assert value[oews_series_id("29-2072", datatype="employment")] == 194720


def test_oews_markers_and_parts(bls_server, online_settings, oews_api):
    ids = [
        oews_series_id("29-2072", area="CA"),
        oews_series_id("29-2072", area="VT", datatype="employment"),
        oews_series_id("27-2021", area="CA", datatype="annual_p90"),
        "OEUM001814000000029207213",
    ]
    with pytest.warns(SuppressedValuesWarning, match="2 values"):
        got = api.series(ids, start=2025, end=2025, settings=online_settings).set_index("series_id")
    assert got.loc[ids[0], "value"] == 61810  # MANIFEST: California median
    vermont = got.loc[ids[1]]
    assert math.isnan(vermont["value"])
    assert vermont["footnote_text"] == "Estimate not released."
    athletes = got.loc[ids[2]]
    assert math.isnan(athletes["value"])
    assert athletes["footnote_codes"] == "5"
    assert "$239,200 per year" in athletes["footnote_text"]
    row = got.loc[ids[3]]
    assert (row["area_type"], row["area_code"], row["occupation_code"]) == (
        "M",
        "0018140",
        "29-2072",
    )
    assert (row["industry_code"], row["datatype_code"], row["measure"]) == (
        "000000",
        "13",
        "annual_median",
    )


# Batching and year windows ----------------------------------------------------------------


@pytest.mark.parametrize(("with_key", "queries", "largest"), [(True, 3, 50), (False, 5, 25)])
def test_120_series_take_the_fewest_queries(
    bls_server, online_settings, with_key, queries, largest
):
    ids = [f"CEU{i:07d}00000001" for i in range(120)]
    fake = FakeApi(annual(ids, range(2023, 2026)))
    bls_server.add_handler(PATH, fake)
    settings = online_settings.replace(api_key=KEY if with_key else None)
    df = api.series(ids, start=2023, end=2025, settings=settings)
    assert posts(bls_server) == queries
    assert max(len(p["seriesid"]) for p in fake.payloads) == largest
    assert sorted(s for p in fake.payloads for s in p["seriesid"]) == sorted(ids)
    assert len(df) == 360
    assert list(df["series_id"].drop_duplicates()) == ids  # in the order asked
    assert df["area_code"].isna().all()  # not OEWS: parts missing
    assert ("registrationkey" in fake.payloads[0]) is with_key
    assert len(provenance_of(df)) == queries
    assert len(api_limits.plan(ids, start=2023, end=2025, settings=settings)) == queries


def test_year_windows_without_key(bls_server, online_settings):
    fake = FakeApi(annual(["LNU00000000"], range(2000, 2026)))
    bls_server.add_handler(PATH, fake)
    df = api.series("LNU00000000", start=2000, end=2025, settings=online_settings)
    windows = [(p["startyear"], p["endyear"]) for p in fake.payloads]
    assert windows == [("2000", "2009"), ("2010", "2019"), ("2020", "2025")]
    assert list(df["year"]) == list(range(2000, 2026))
    assert df["year"].dtype == "int64"
    assert df["value"].dtype == "float64"


def test_year_windows_with_key(bls_server, keyed):
    fake = FakeApi(annual(["LNU00000000"], range(2000, 2026)))
    bls_server.add_handler(PATH, fake)
    api.series("LNU00000000", start=2000, end=2025, settings=keyed)
    assert [(p["startyear"], p["endyear"]) for p in fake.payloads] == [
        ("2000", "2019"),
        ("2020", "2025"),
    ]


def test_default_years_are_the_last_three(bls_server, online_settings):
    fake = FakeApi({})
    bls_server.add_handler(PATH, fake)
    this_year = datetime.now(api_limits.EASTERN).year
    with pytest.warns(MissingSeriesWarning):
        api.series("LNU00000000", settings=online_settings)
    with pytest.warns(MissingSeriesWarning):
        api.series("LNU00000000", end=2020, settings=online_settings)
    assert [(p["startyear"], p["endyear"]) for p in fake.payloads] == [
        (str(this_year - 2), str(this_year)),
        ("2018", "2020"),
    ]


# BLS's errors inside 200 answers ----------------------------------------------------------

THRESHOLD = {
    "status": "REQUEST_NOT_PROCESSED",
    "responseTime": 0,
    "message": [
        "Request could not be serviced, as the daily threshold for total number of requests "
        "allocated to the user has been reached."
    ],
    "Results": {},
}


def test_daily_threshold_says_when_and_stops_asking(bls_server, online_settings):
    bls_server.add_handler(PATH, fixed(json.dumps(THRESHOLD).encode()))
    with pytest.raises(RateLimited, match="midnight US Eastern") as err:
        api.series("LNS14000000", start=2024, end=2025, settings=online_settings)
    assert "BLS_API_KEY" in str(err.value)
    assert "daily threshold" in str(err.value)
    assert api_limits.usage(settings=online_settings).remaining == 0
    with pytest.raises(RateLimited, match="0 of today's 25"):
        api.series("LNS14000000", start=2020, end=2021, settings=online_settings)
    assert posts(bls_server) == 1
    # another key has its own budget
    assert api_limits.usage(settings=online_settings.replace(api_key=KEY)).remaining == 500


def test_refuses_before_spending_the_budget(bls_server, online_settings):
    fake = FakeApi(annual(["LNU00000000"], range(2001, 2026)))
    bls_server.add_handler(PATH, fake)
    for year in range(2001, 2023):  # 22 queries
        api.series("LNU00000000", start=year, end=year, settings=online_settings)
    assert api_limits.usage(settings=online_settings).used == 22
    ids = [f"LNU{i:08d}" for i in range(30)]  # 2 batches x 2 windows = 4 queries > 3 left
    with pytest.raises(RateLimited, match="needs 4 new queries but only 3"):
        api.series(ids, start=2006, end=2025, settings=online_settings)
    assert posts(bls_server) == 22


def test_unknown_series_and_missing_years_warn(bls_server, online_settings):
    known = annual(["LNS14000000"], range(2024, 2026))
    bls_server.add_handler(PATH, FakeApi(known))
    with pytest.warns(MissingSeriesWarning, match=r"1 series: LNS99999999 \(series does not exist"):
        df = api.series(
            ["LNS14000000", "LNS99999999"], start=2023, end=2025, settings=online_settings
        )
    assert list(df["year"]) == [2024, 2025]
    assert "No Data Available for Series LNS14000000 Year: 2023" in df.attrs["messages"]


def test_not_processed_with_only_series_messages_is_not_a_crash(bls_server, online_settings):
    body = {
        "status": "REQUEST_NOT_PROCESSED",
        "message": ["Series does not exist for Series NOPE"],
        "Results": {},
    }
    bls_server.add_handler(PATH, fixed(json.dumps(body).encode()))
    with pytest.warns(MissingSeriesWarning, match="NOPE"):
        df = api.series("NOPE", start=2024, end=2025, settings=online_settings)
    assert df.empty
    assert list(df.columns) == list(api_answer.COLUMNS)


def test_invalid_parameters_raise_with_bls_message(bls_server, online_settings):
    bls_server.add_handler(PATH, fixed((DATA / "bad_end_year.json").read_bytes()))
    with pytest.raises(ApiError, match=r"REQUEST_FAILED_INVALID_PARAMETERS.*End year is invalid"):
        api.series(["LNS14000000", "LNS13000000"], start=2015, end=2017, settings=online_settings)
    assert not list((online_settings.cache_dir / "json" / "api").glob("[0-9a-f]*.json"))


def test_malformed_json_is_a_source_format_error(bls_server, online_settings):
    bls_server.add_handler(PATH, fixed(b"<html><body>Service unavailable</body></html>"))
    with pytest.raises(SourceFormatError, match="not JSON"):
        api.series("LNS14000000", start=2024, end=2025, settings=online_settings)
    bls_server.add_handler(PATH, fixed(b'["not", "an", "answer"]'))
    with pytest.raises(SourceFormatError, match="no 'status'"):
        api.series("LNS14000000", start=2024, end=2025, settings=online_settings)
    assert not list((online_settings.cache_dir / "json" / "api").glob("[0-9a-f]*.json"))


def test_5xx_is_retried(bls_server, online_settings):
    fake = FakeApi(annual(["LNS14000000"], range(2024, 2026)))
    calls = []

    def flaky(request: Request) -> Answer:
        calls.append(request)
        return Answer(503, {}, b"busy") if len(calls) < 3 else fake(request)

    bls_server.add_handler(PATH, flaky)
    df = api.series("LNS14000000", start=2024, end=2025, settings=online_settings)
    assert len(calls) == 3
    assert list(df["value"]) == [2024.0, 2025.0]
    assert api_limits.usage(settings=online_settings).used == 1


# Recorded BLS answers ---------------------------------------------------------------------


def test_recorded_answer_with_catalog_and_calculations(bls_server, keyed):
    bls_server.add_handler(PATH, fixed((DATA / "cps-situation-2015-all_options.json").read_bytes()))
    ids = ["LNS14000000", "LNS12000000", "LNS11000000", "LNS13000000"]
    df = api.series(ids, start=2015, end=2015, catalog=True, calculations=True, settings=keyed)
    sent = json.loads(bls_server.requests[-1].body)
    assert sent["catalog"] is True
    assert sent["calculations"] is True
    assert len(df) == 48
    dec = df[(df["series_id"] == "LNS14000000") & (df["period"] == "M12")].iloc[0]
    assert dec["value"] == 5.0
    assert dec["period_name"] == "December"
    assert dec["net_change_12"] == -0.6
    assert dec["pct_change_12"] == -10.7
    assert dec["series_title"] == "(Seas) Unemployment Rate"
    assert df.attrs["catalog"]["LNS14000000"]["survey_name"].startswith("Labor Force")
    assert provenance_of(df)[0]["program"] == "CPS"


def test_recorded_footnotes(bls_server, online_settings):
    bls_server.add_handler(
        PATH, fixed((DATA / "sae-north_dakota-mining-2015-catalog.json").read_bytes())
    )
    df = api.series("SMS38000001000000001", start=2015, end=2015, settings=online_settings)
    dec = df[df["period"] == "M12"].iloc[0]
    assert (dec["value"], dec["footnote_codes"], dec["footnote_text"]) == (24.3, "P", "Preliminary")
    assert pd.isna(df[df["period"] == "M11"].iloc[0]["footnote_codes"])
    assert list(df["period"]) == [f"M{m:02d}" for m in range(1, 13)]


# Cache, offline, freshness ----------------------------------------------------------------


def test_second_call_is_answered_from_the_cache(bls_server, online_settings, offline_settings):
    bls_server.add_handler(PATH, FakeApi(annual(["LNS14000000"], range(2020, 2026))))
    first = api.series("LNS14000000", start=2020, end=2025, settings=online_settings)
    second = api.series("LNS14000000", start=2020, end=2025, settings=online_settings)
    offline = api.series("LNS14000000", start=2020, end=2025, settings=offline_settings)
    assert posts(bls_server) == 1
    pd.testing.assert_frame_equal(first, second)
    pd.testing.assert_frame_equal(first, offline)
    assert provenance_of(second) == provenance_of(first)
    api.series("LNS14000000", start=2020, end=2025, refresh=True, settings=online_settings)
    assert posts(bls_server) == 2
    with pytest.raises(OfflineError, match="not in the cache"):
        api.series("LNS14000000", start=2010, end=2025, settings=offline_settings)


def test_stale_answers_are_asked_again_or_used_offline(
    bls_server, online_settings, offline_settings
):
    bls_server.add_handler(PATH, FakeApi(annual(["LNS14000000"], range(2024, 2026))))
    api.series("LNS14000000", start=2024, end=2025, settings=online_settings)
    (stored,) = (online_settings.cache_dir / "json" / "api").glob("[0-9a-f]*.json")
    record = json.loads(stored.read_text())
    record["fresh_until"] = "2020-01-01T00:00:00+00:00"
    stored.write_text(json.dumps(record))
    with pytest.warns(OfflineDataWarning, match="past their refresh date"):
        api.series("LNS14000000", start=2024, end=2025, settings=offline_settings)
    assert posts(bls_server) == 1
    api.series("LNS14000000", start=2024, end=2025, settings=online_settings)
    assert posts(bls_server) == 2


def test_freshness_follows_the_release_calendar():
    def answer(period: str, year: int) -> dict:
        return {
            "Results": {
                "series": [{"seriesID": "X", "data": [{"year": str(year), "period": period}]}]
            }
        }

    nov = datetime(2026, 11, 24, 15, tzinfo=UTC)
    feb = datetime(2027, 2, 10, 15, tzinfo=UTC)
    apr = datetime(2027, 4, 10, 15, tzinfo=UTC)
    fresh = api.freshness
    assert fresh(answer("M10", 2026), end=2026, now=nov).isoformat() == "2026-11-25T00:00:00-05:00"
    assert fresh(answer("A01", 2025), end=2026, now=nov).date().isoformat() == "2027-03-01"
    assert fresh(answer("A01", 2025), end=2027, now=feb).date().isoformat() == "2027-03-01"
    # spring: last year's annual data is due; ask again daily until it is there
    assert fresh(answer("A01", 2025), end=2027, now=apr).date().isoformat() == "2027-04-11"
    assert fresh(answer("A01", 2026), end=2027, now=apr).date().isoformat() == "2028-03-01"
    # nothing published yet (e.g. January's data in early January): ask again tomorrow
    empty = {"Results": {"series": [{"seriesID": "X", "data": []}]}}
    assert fresh(empty, end=2027, now=feb).date().isoformat() == "2027-02-11"
    # history does not change
    assert fresh(answer("A01", 2010), end=2015, now=apr).date().isoformat() == "2028-03-01"


# The key never leaks ----------------------------------------------------------------------


def test_key_is_never_written_nor_shown(bls_server, keyed, caplog):
    caplog.set_level(logging.DEBUG)
    fake = FakeApi(annual(["LNS14000000"], range(2024, 2026)))
    bls_server.add_handler(PATH, fake)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        api.series(["LNS14000000", "LNS00000000"], start=2024, end=2025, settings=keyed)
    assert fake.payloads[0]["registrationkey"] == KEY  # it was sent
    invalid = {
        "status": "REQUEST_NOT_PROCESSED",
        "message": [f"The key: {KEY} provided by the User is invalid."],
        "Results": {},
    }
    bls_server.add_handler(PATH, fixed(json.dumps(invalid).encode()))
    with pytest.raises(ApiError, match="provided by the User is invalid") as err:
        api.series("LNS14000000", start=2020, end=2021, settings=keyed)
    assert KEY not in str(err.value)
    assert "BLS_API_KEY" in str(err.value)
    bls_server.add_handler(PATH, fixed(b"oops " + KEY.encode()))
    with pytest.raises(SourceFormatError) as err:
        api.series("LNS14000000", start=2018, end=2019, settings=keyed)
    files = [p for p in keyed.cache_dir.rglob("*") if p.is_file()]
    assert any(p.parent.name == "api" for p in files)
    for path in files:
        assert KEY.encode() not in path.read_bytes(), path
    assert KEY not in caplog.text
    assert all(KEY not in str(w.message) for w in seen)


# Bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ids", "start", "end", "match"),
    [
        ("LNS 14000000", 2020, 2021, "BLS series id"),
        ([], 2020, 2021, "at least one"),
        ("LNS14000000", 2021, 2020, "start must not be after"),
        ("LNS14000000", 2020, 3000, "four-digit year"),
        ("LNS14000000", "20x0", 2021, "start year"),
    ],
)
def test_bad_input(tmp_path, ids, start, end, match):
    settings = Settings(cache_dir=tmp_path, bls_api_url="http://127.0.0.1:9")  # never reached
    with pytest.raises(InputValueError, match=match):
        api.series(ids, start=start, end=end, settings=settings)
