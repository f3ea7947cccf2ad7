"""OEWS series ids: build them from codes and names, decode them back into their parts.

An OEWS series id has 25 characters::

    OE U N 0000000 000000 292072 13
    |  | | |       |      |      datatype (01-17, see DATATYPES)
    |  | | |       |      occupation (SOC code without the dash)
    |  | | |       industry (6 characters, e.g. 000000 cross-industry, 11--12, 3250A1)
    |  | | area (7 digits: 0000000 national, SS00000 state SS, 00CCCCC metro CBSA CCCCC,
    |  | |       SS0000N nonmetropolitan areas)
    |  | area type (N national, S state, M metropolitan or nonmetropolitan area)
    |  seasonal (U, not seasonally adjusted)
    survey prefix OE

Examples
--------
>>> oews_series_id("29-2072")
'OEUN000000000000029207213'
>>> oews_series_id("29-2072", area="Ohio", datatype="employment")
'OEUS390000000000029207201'
>>> oews_series_id("292072", area="0018140", datatype="Annual mean wage")
'OEUM001814000000029207204'
>>> parse_oews_series_id("OEUS060000000000029207213")
OewsSeriesId(seasonal='U', area_type='S', area_code='0600000', industry_code='000000', \
occupation_code='29-2072', datatype_code='13', measure='annual_median')
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import product
from typing import TYPE_CHECKING

from marketdata.core.errors import InputValueError, UnknownArea, UnknownCode

if TYPE_CHECKING:  # pandas loads in decode(), not for the constants and single ids
    import pandas as pd

__all__ = [
    "AREA_TYPES",
    "CROSS_INDUSTRY",
    "DATATYPES",
    "DATATYPE_NAMES",
    "NATIONAL_AREA",
    "NATIONAL_NAMES",
    "PARTS",
    "PREFIX",
    "STATES",
    "OewsSeriesId",
    "area_code",
    "area_type_of",
    "datatype_code",
    "decode",
    "is_oews_series_id",
    "occupation_digits",
    "oews_series_id",
    "oews_series_ids",
    "parse_oews_series_id",
]

logger = logging.getLogger(__name__)

PREFIX = "OE"

#: OEWS datatype code -> measure name (the column names of ``marketdata.core.schema.OEWS_COLUMNS``).
DATATYPES: dict[str, str] = {
    "01": "employment",
    "02": "employment_rse",
    "03": "hourly_mean",
    "04": "annual_mean",
    "05": "wage_rse",
    "06": "hourly_p10",
    "07": "hourly_p25",
    "08": "hourly_median",
    "09": "hourly_p75",
    "10": "hourly_p90",
    "11": "annual_p10",
    "12": "annual_p25",
    "13": "annual_median",
    "14": "annual_p75",
    "15": "annual_p90",
    "16": "jobs_per_1000",
    "17": "location_quotient",
}

#: OEWS datatype code -> BLS's name (``oe.datatype``).
DATATYPE_NAMES: dict[str, str] = {
    "01": "Employment",
    "02": "Employment percent relative standard error",
    "03": "Hourly mean wage",
    "04": "Annual mean wage",
    "05": "Wage percent relative standard error",
    "06": "Hourly 10th percentile wage",
    "07": "Hourly 25th percentile wage",
    "08": "Hourly median wage",
    "09": "Hourly 75th percentile wage",
    "10": "Hourly 90th percentile wage",
    "11": "Annual 10th percentile wage",
    "12": "Annual 25th percentile wage",
    "13": "Annual median wage",
    "14": "Annual 75th percentile wage",
    "15": "Annual 90th percentile wage",
    "16": "Employment per 1,000 jobs",
    "17": "Location Quotient",
}

#: Area type names -> OEWS area type code.
AREA_TYPES: dict[str, str] = {
    "n": "N",
    "national": "N",
    "s": "S",
    "state": "S",
    "statewide": "S",
    "m": "M",
    "metro": "M",
    "metropolitan": "M",
    "nonmetro": "M",
    "nonmetropolitan": "M",
}

#: State (and territory) FIPS code -> (postal abbreviation, name), the 54 OEWS states.
STATES: dict[str, tuple[str, str]] = {
    "01": ("AL", "Alabama"),
    "02": ("AK", "Alaska"),
    "04": ("AZ", "Arizona"),
    "05": ("AR", "Arkansas"),
    "06": ("CA", "California"),
    "08": ("CO", "Colorado"),
    "09": ("CT", "Connecticut"),
    "10": ("DE", "Delaware"),
    "11": ("DC", "District of Columbia"),
    "12": ("FL", "Florida"),
    "13": ("GA", "Georgia"),
    "15": ("HI", "Hawaii"),
    "16": ("ID", "Idaho"),
    "17": ("IL", "Illinois"),
    "18": ("IN", "Indiana"),
    "19": ("IA", "Iowa"),
    "20": ("KS", "Kansas"),
    "21": ("KY", "Kentucky"),
    "22": ("LA", "Louisiana"),
    "23": ("ME", "Maine"),
    "24": ("MD", "Maryland"),
    "25": ("MA", "Massachusetts"),
    "26": ("MI", "Michigan"),
    "27": ("MN", "Minnesota"),
    "28": ("MS", "Mississippi"),
    "29": ("MO", "Missouri"),
    "30": ("MT", "Montana"),
    "31": ("NE", "Nebraska"),
    "32": ("NV", "Nevada"),
    "33": ("NH", "New Hampshire"),
    "34": ("NJ", "New Jersey"),
    "35": ("NM", "New Mexico"),
    "36": ("NY", "New York"),
    "37": ("NC", "North Carolina"),
    "38": ("ND", "North Dakota"),
    "39": ("OH", "Ohio"),
    "40": ("OK", "Oklahoma"),
    "41": ("OR", "Oregon"),
    "42": ("PA", "Pennsylvania"),
    "44": ("RI", "Rhode Island"),
    "45": ("SC", "South Carolina"),
    "46": ("SD", "South Dakota"),
    "47": ("TN", "Tennessee"),
    "48": ("TX", "Texas"),
    "49": ("UT", "Utah"),
    "50": ("VT", "Vermont"),
    "51": ("VA", "Virginia"),
    "53": ("WA", "Washington"),
    "54": ("WV", "West Virginia"),
    "55": ("WI", "Wisconsin"),
    "56": ("WY", "Wyoming"),
    "66": ("GU", "Guam"),
    "72": ("PR", "Puerto Rico"),
    "78": ("VI", "Virgin Islands"),
}

NATIONAL_AREA = "0000000"
CROSS_INDUSTRY = "000000"
#: Names of the nation, one set for every lookup: ``99`` is the national area code of BLS's
#: OEWS spreadsheets, ``00`` and ``0`` the nation's code in some BLS tables.
NATIONAL_NAMES = frozenset(
    {"national", "nation", "us", "u.s.", "usa", "u.s.a.", "united states", "99", "00", "0"}
)
_OEWS_RE = re.compile(r"^OE[US][NSM][0-9]{7}[0-9A-Z-]{6}[0-9]{6}(0[1-9]|1[0-7])$")
_INDUSTRY_RE = re.compile(r"^[0-9A-Z-]{6}$")
#: The decoded parts, in the order of the columns of :func:`decode`.
PARTS: tuple[str, ...] = (
    "seasonal",
    "area_type",
    "area_code",
    "industry_code",
    "occupation_code",
    "datatype_code",
    "measure",
)


@dataclass(frozen=True)
class OewsSeriesId:
    """The parts of an OEWS series id (``occupation_code`` with its dash, e.g. ``29-2072``)."""

    seasonal: str
    area_type: str
    area_code: str
    industry_code: str
    occupation_code: str
    datatype_code: str
    measure: str

    def __str__(self) -> str:
        return (
            f"{PREFIX}{self.seasonal}{self.area_type}{self.area_code}{self.industry_code}"
            f"{self.occupation_code.replace('-', '')}{self.datatype_code}"
        )


def _close(value: str, choices: Iterable[str], limit: int = 3) -> list[str]:
    from rapidfuzz import process

    return [m for m, score, _ in process.extract(value, list(choices), limit=limit) if score >= 60]


def datatype_code(datatype: str | int) -> str:
    """The two-digit OEWS datatype code of a code, measure name or BLS datatype name.

    >>> datatype_code("annual_median"), datatype_code(13), datatype_code("Hourly median wage")
    ('13', '13', '08')
    """
    text = str(datatype).strip()
    if text.isascii() and text.isdigit() and f"{int(text):02d}" in DATATYPES:
        return f"{int(text):02d}"
    key = text.lower().replace(" ", "_")
    for code, measure in DATATYPES.items():
        if key in (measure, DATATYPE_NAMES[code].lower().replace(" ", "_")):
            return code
    raise UnknownCode(
        "OEWS datatype",
        datatype,
        _close(text, [*DATATYPES.values(), *DATATYPE_NAMES.values()]),
        hint="Use a code 01-17 or a measure name such as 'annual_median' or 'employment'.",
    )


def occupation_digits(occupation: str) -> str:
    """The six digits of a SOC code given as ``29-2072`` or ``292072``.

    >>> occupation_digits("29-2072")
    '292072'
    """
    digits = str(occupation).strip().replace("-", "")
    if len(digits) != 6 or not (digits.isascii() and digits.isdigit()):
        raise UnknownCode(
            "SOC occupation code",
            occupation,
            hint="Give six digits, e.g. '29-2072' (all occupations: '00-0000').",
        )
    return digits


def area_code(area: str | int) -> str:
    """The seven-digit OEWS area code of a code, state name, postal or FIPS code, or CBSA.

    Accepted: ``national``/``US``; a state name (``Ohio``), postal code (``OH``) or two-digit
    FIPS code (``39``); a five-digit CBSA code of a metropolitan area (``18140``); or the
    seven-digit OEWS area code itself (``3900000``, ``0018140``, ``3900001``).

    >>> area_code("Ohio"), area_code("oh"), area_code(39), area_code("18140")
    ('3900000', '3900000', '3900000', '0018140')
    """
    text = str(area).strip()
    low = text.lower()
    if low in NATIONAL_NAMES:
        return NATIONAL_AREA
    if text.isascii() and text.isdigit():  # not '²' or other Unicode digits
        if len(text) == 7:
            return text
        if len(text) == 5:
            return f"00{text}"
        if len(text) <= 2 and f"{int(text):02d}" in STATES:
            return f"{int(text):02d}00000"
    for fips, (postal, name) in STATES.items():
        if low in (postal.lower(), name.lower()):
            return f"{fips}00000"
    names = [name for _, name in STATES.values()]
    raise UnknownArea(
        "OEWS area",
        area,
        _close(text, names),
        hint="Give a state name, postal or FIPS code, a five-digit CBSA code or the seven-digit "
        "OEWS area code (metro and nonmetro names: look the code up in oe.area).",
    )


def area_type_of(code: str) -> str:
    """The OEWS area type (N, S or M) of a seven-digit area code.

    >>> area_type_of("0000000"), area_type_of("3900000"), area_type_of("0018140")
    ('N', 'S', 'M')
    """
    if code == NATIONAL_AREA:
        return "N"
    return "S" if code.endswith("00000") else "M"


def oews_series_id(
    occupation: str,
    area: str | int = "national",
    *,
    industry: str = CROSS_INDUSTRY,
    datatype: str | int = "annual_median",
    area_type: str | None = None,
) -> str:
    """Build the OEWS series id of one occupation, area, industry and datatype.

    Parameters
    ----------
    occupation
        SOC code, ``29-2072`` or ``292072``.
    area
        See :func:`area_code`; default national.
    industry
        Six-character OEWS industry code (default ``000000``, cross-industry).
    datatype
        Code 01-17, measure name (``annual_median``) or BLS name (``Annual median wage``).
    area_type
        N/S/M or ``national``/``state``/``metro``; inferred from the area code when omitted,
        checked against it when given.

    >>> oews_series_id("29-2072", area="CA", datatype="hourly_median")
    'OEUS060000000000029207208'
    """
    code = area_code(area)
    inferred = area_type_of(code)
    if area_type is not None:
        given = AREA_TYPES.get(str(area_type).strip().lower())
        if given is None:
            raise InputValueError(
                "OEWS area type",
                area_type,
                _close(str(area_type), AREA_TYPES),
                hint="Use N, S or M.",
            )
        if given != inferred:
            raise InputValueError(
                "OEWS area type",
                area_type,
                hint=f"area {code} is of type {inferred}, not {given}.",
            )
    ind = str(industry).strip().upper()
    if not _INDUSTRY_RE.match(ind):
        raise UnknownCode(
            "OEWS industry code",
            industry,
            hint="Give the six-character code of oe.industry, e.g. '000000' (cross-industry).",
        )
    return f"{PREFIX}U{inferred}{code}{ind}{occupation_digits(occupation)}{datatype_code(datatype)}"


def oews_series_ids(
    occupations: str | Iterable[str],
    areas: str | int | Iterable[str | int] = "national",
    *,
    industries: str | Iterable[str] = CROSS_INDUSTRY,
    datatypes: str | int | Iterable[str | int] = "annual_median",
) -> list[str]:
    """Series ids of every combination of occupations, areas, industries and datatypes.

    >>> oews_series_ids("29-2072", areas=["CA", "OH"], datatypes=["employment", "annual_median"])
    ['OEUS060000000000029207201', 'OEUS060000000000029207213', \
'OEUS390000000000029207201', 'OEUS390000000000029207213']
    """

    def many(value: object) -> list:
        return [value] if isinstance(value, str | int) else list(value)  # type: ignore[call-overload]

    return [
        oews_series_id(occ, area=area, industry=ind, datatype=dt)
        for occ, area, ind, dt in product(
            many(occupations), many(areas), many(industries), many(datatypes)
        )
    ]


def is_oews_series_id(series_id: str) -> bool:
    """True if ``series_id`` has the layout of an OEWS series id.

    >>> is_oews_series_id("OEUN000000000000029207213"), is_oews_series_id("LNS14000000")
    (True, False)
    """
    return bool(_OEWS_RE.match(series_id))


def parse_oews_series_id(series_id: str) -> OewsSeriesId:
    """Split an OEWS series id into its parts; raises :class:`UnknownCode` for other ids."""
    sid = str(series_id).strip().upper()
    if not is_oews_series_id(sid):
        raise UnknownCode(
            "OEWS series id",
            series_id,
            hint="An OEWS id has 25 characters, e.g. OEUN000000000000029207213.",
        )
    occ = sid[17:23]
    return OewsSeriesId(
        seasonal=sid[2],
        area_type=sid[3],
        area_code=sid[4:11],
        industry_code=sid[11:17],
        occupation_code=f"{occ[:2]}-{occ[2:]}",
        datatype_code=sid[23:25],
        measure=DATATYPES[sid[23:25]],
    )


def decode(series_ids: Iterable[str]) -> pd.DataFrame:
    """Decode many series ids at once (vectorized); parts of non-OEWS ids are missing.

    >>> decode(["OEUM001814000000029207213", "LNS14000000"])[["series_id", "area_code", "measure"]]
                       series_id area_code        measure
    0  OEUM001814000000029207213   0018140  annual_median
    1                LNS14000000       NaN            NaN
    """
    import pandas as pd

    ids = pd.Series(list(series_ids), dtype=object).astype(str)
    ok = ids.str.match(_OEWS_RE.pattern)
    occ = ids.str.slice(17, 23)
    dtype = ids.str.slice(23, 25)
    parts = {
        "seasonal": ids.str.slice(2, 3),
        "area_type": ids.str.slice(3, 4),
        "area_code": ids.str.slice(4, 11),
        "industry_code": ids.str.slice(11, 17),
        "occupation_code": occ.str.slice(0, 2) + "-" + occ.str.slice(2, 6),
        "datatype_code": dtype,
        "measure": dtype.map(DATATYPES),
    }
    out = pd.DataFrame({"series_id": ids})
    for name in PARTS:
        out[name] = parts[name].where(ok)
    return out
