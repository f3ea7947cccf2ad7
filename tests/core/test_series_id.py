"""OEWS series ids: building, decoding, and agreement with BLS's oe.datatype."""

from __future__ import annotations

import hashlib
import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from marketdata.core.errors import InputValueError, UnknownArea, UnknownCode
from marketdata.core.schema import OEWS_MEASURES
from marketdata.core.series_id import (
    DATATYPE_NAMES,
    DATATYPES,
    PARTS,
    STATES,
    area_code,
    datatype_code,
    decode,
    is_oews_series_id,
    oews_series_id,
    oews_series_ids,
    parse_oews_series_id,
)

DATA = Path(__file__).parents[1] / "data" / "api"
#: SHA-256 of BLS's oe.datatype (May 2025 release, ../shared/data/oews-2025/manifest.json).
OE_DATATYPE_SHA256 = "836929c3f516346ab42b161c72cb4511acd74e7e2f0244f861fbd5490de50db1"


def test_datatypes_match_bls_oe_datatype():
    raw = (DATA / "oe.datatype").read_bytes()
    assert hashlib.sha256(raw).hexdigest() == OE_DATATYPE_SHA256
    lines = raw.decode().split("\r\n")[1:-1]
    assert dict(line.split("\t") for line in lines) == DATATYPE_NAMES
    assert list(DATATYPES) == list(DATATYPE_NAMES)


def test_measures_are_schema_columns():
    assert set(DATATYPES.values()) == set(OEWS_MEASURES)


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({}, "OEUN000000000000029207213"),
        ({"area": "Ohio", "datatype": "employment"}, "OEUS390000000000029207201"),
        ({"area": 39, "datatype": 1}, "OEUS390000000000029207201"),
        ({"area": "3900000", "area_type": "state", "datatype": "01"}, "OEUS390000000000029207201"),
        ({"area": "0018140", "datatype": "Annual median wage"}, "OEUM001814000000029207213"),
        ({"area": "18140", "area_type": "M", "datatype": "13"}, "OEUM001814000000029207213"),
        ({"area": "3900001", "datatype": "location_quotient"}, "OEUM390000100000029207217"),
        ({"area": "US", "industry": "11--12", "datatype": 8}, "OEUN000000011--1229207208"),
        ({"area": "ca", "datatype": "HOURLY_P90"}, "OEUS060000000000029207210"),
    ],
)
def test_build(kwargs, expected):
    assert oews_series_id("29-2072", **kwargs) == expected


def test_build_many_in_order():
    ids = oews_series_ids(["29-2072", "29-1141"], areas=list(STATES)[:2], datatypes=[1, 13])
    assert len(ids) == 8
    assert ids[:2] == ["OEUS010000000000029207201", "OEUS010000000000029207213"]
    assert ids[-1] == "OEUS020000000000029114113"


def test_unknown_inputs_suggest_close_matches():
    with pytest.raises(UnknownArea, match="Ohio"):
        area_code("Ohoi")
    with pytest.raises(UnknownCode, match="annual_median"):
        datatype_code("anual median")
    with pytest.raises(UnknownCode, match="six digits"):
        oews_series_id("29-207")
    with pytest.raises(UnknownCode, match="industry"):
        oews_series_id("29-2072", industry="62")
    with pytest.raises(InputValueError, match="of type M, not S"):
        oews_series_id("29-2072", area="0018140", area_type="S")
    with pytest.raises(InputValueError, match="area type"):
        oews_series_id("29-2072", area_type="county")


def test_parse_and_str_round_trip():
    parts = parse_oews_series_id("oeus0600000000000292072 13".replace(" ", ""))
    assert parts.area_type == "S"
    assert parts.area_code == "0600000"
    assert parts.occupation_code == "29-2072"
    assert parts.measure == "annual_median"
    assert str(parts) == "OEUS060000000000029207213"
    with pytest.raises(UnknownCode, match="25 characters"):
        parse_oews_series_id("LNS14000000")
    with pytest.raises(UnknownCode):
        parse_oews_series_id("OEUN000000000000029207218")  # no datatype 18


def test_decode_passes_other_programs_through():
    ids = ["OEUN000000000000029207213", "LNS14000000", "SMS38000001000000001", "OEUN0000"]
    out = decode(ids)
    assert list(out.columns) == ["series_id", *PARTS]
    assert list(out["series_id"]) == ids
    assert out.loc[0, "occupation_code"] == "29-2072"
    assert out.loc[0, "datatype_code"] == "13"
    for row in (1, 2, 3):
        assert all(isinstance(v, float) and math.isnan(v) for v in out.loc[row, list(PARTS)]), (
            out.loc[row]
        )


def test_is_oews():
    assert is_oews_series_id("OEUM001814000000029207213")
    assert not is_oews_series_id("OEUM00181400000002920721")
    assert not is_oews_series_id("CEU0000000001")


@given(
    fips=st.sampled_from(sorted(STATES)),
    occ=st.from_regex(r"\A[0-9]{6}\Z"),  # ASCII: BLS codes are never other digits
    dt=st.sampled_from(sorted(DATATYPES)),
    ind=st.from_regex(r"\A[0-9A-Z-]{6}\Z"),
)
def test_build_decode_round_trip(fips, occ, dt, ind):
    sid = oews_series_id(occ, area=fips, industry=ind, datatype=dt)
    assert len(sid) == 25
    row = decode([sid]).iloc[0]
    assert row["area_code"] == f"{fips}00000"
    assert row["area_type"] == "S"
    assert row["industry_code"] == ind
    assert row["occupation_code"].replace("-", "") == occ
    assert row["measure"] == DATATYPES[dt]
    assert str(parse_oews_series_id(sid)) == sid
