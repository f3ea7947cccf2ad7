"""Pay with a credential: CPS certification factors applied to OEWS medians (estimates).

The columns :func:`columns` returns are what a salary breakdown shows beside BLS's figures
(one value per area), the sentence :func:`sentence` is what the reports print, and
:func:`credential_table` is the per-occupation table of the group reports. Every figure is
an estimate: an area's OEWS annual median times a ratio of CPS medians
(:mod:`marketdata.analysis.credentials.factors`), which is not a causal effect; each one names the CPS
cells it comes from (``cert_source``). User-supplied factors are never mixed in.

The factor used first (``cert_basis``) is the occupation group's when a certification table
by occupation is cached, else the educational-attainment row(s) of the occupation's EP
typical entry education in CPS table 54, else table 54's all-workers row; when the group
comes first, the education factor is given beside it (``edu_cert_*``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
import pandas as pd

from marketdata.analysis.credentials import factors as cert_factors
from marketdata.analysis.credentials.cps_premium import cps_group
from marketdata.core.config import Settings, get_settings
from marketdata.core.errors import MarketdataError

logger = logging.getLogger(__name__)

CERT_ONLY = ("cert_no_license",)
CERT_METHOD = (
    "Estimate: area's OEWS annual median x CPS factor (median weekly earnings of full-time "
    "wage and salary workers with a certification but no license / a license / either, "
    "divided by all workers' in the same CPS row: the occupation's CPS group, else the "
    "educational attainment of its EP typical entry education, else all workers); a ratio "
    "of medians, not a causal effect"
)
CERT_ONLY_METHOD = (
    "Estimate: area's OEWS annual median x CPS ratio of median weekly earnings with a "
    "certification but no license to all workers' in the same CPS row; a ratio of medians, "
    "not a causal effect"
)
NO_CERT_METHOD = (
    "Estimate: area's OEWS annual median x CPS ratio of median weekly earnings without a "
    "certification or license to all workers' in the same CPS rows as the certification "
    "factor; a ratio of medians, not a causal effect"
)
#: Column -> (kind, method) of :func:`columns` (kinds as in :mod:`marketdata.analysis.salary`).
DERIVED = "derived from BLS figures"
ESTIMATE = "estimate"


def entry_educations(*, settings: Settings | None = None) -> tuple[dict[str, str], str]:
    """EP's typical entry education of every occupation (code -> category), and why it is
    missing if it is. Read from :func:`marketdata.datasets.projections.load` (the bundled release
    when BLS is out of reach)."""
    from marketdata.datasets import projections

    try:
        frame = projections.load(table="projections", settings=settings)
    except MarketdataError as err:
        logger.info("EP unavailable for the education factor: %s", err)
        return {}, f"EP typical entry education unavailable ({' '.join(str(err).split())})"
    known = frame.dropna(subset=["typical_education"])
    return dict(
        zip(known["occupation_code"], known["typical_education"].astype(str), strict=True)
    ), ""


def entry_education(occupation: str, *, settings: Settings | None = None) -> tuple[str | None, str]:
    """EP's typical entry education of ``occupation`` and why it is missing (if it is)."""
    found, why = entry_educations(settings=settings)
    if why:
        return None, why
    if occupation not in found:
        return None, f"EP has no typical entry education for {occupation}"
    return found[occupation], ""


def _money(value: float) -> str:
    return "" if pd.isna(value) else f"${value:,.0f}"


def columns(
    found: cert_factors.CertFactors, median: np.ndarray, area_names: Sequence[str]
) -> dict[str, tuple[object, str, str]]:
    """The credential columns of a breakdown: name -> (values, kind, method).

    ``median``: each area's OEWS annual median (NaN where suppressed or top-coded).
    """
    median = np.asarray(median, dtype="float64")
    basis = found.headline or "all workers"
    every = found.range(basis)
    cert = found.range(basis, CERT_ONLY)
    without_low, without_high = without_factors(cert)
    out: dict[str, tuple[object, str, str]] = {
        "cert_basis": (basis, DERIVED, "which CPS rows the factors come from"),
        "cps_premium_low": (every.premium_low, DERIVED, "ratio of published CPS medians"),
        "cps_premium_high": (every.premium_high, DERIVED, "ratio of published CPS medians"),
        "cps_premium_either": (
            found.range(basis, ("with_either",)).premium_low,
            DERIVED,
            "ratio of published CPS medians",
        ),
        "cert_factor_low": (every.factor_low, DERIVED, "ratio of published CPS medians"),
        "cert_factor_high": (every.factor_high, DERIVED, "ratio of published CPS medians"),
        "cert_annual_low": (median * every.factor_low, ESTIMATE, CERT_METHOD),
        "cert_annual_high": (median * every.factor_high, ESTIMATE, CERT_METHOD),
        "cert_only_factor_low": (cert.factor_low, DERIVED, "ratio of published CPS medians"),
        "cert_only_factor_high": (cert.factor_high, DERIVED, "ratio of published CPS medians"),
        "cert_only_annual_low": (median * cert.factor_low, ESTIMATE, CERT_ONLY_METHOD),
        "cert_only_annual_high": (median * cert.factor_high, ESTIMATE, CERT_ONLY_METHOD),
        "no_cert_factor_low": (without_low, DERIVED, "ratio of published CPS medians"),
        "no_cert_factor_high": (without_high, DERIVED, "ratio of published CPS medians"),
        "no_cert_annual_low": (median * without_low, ESTIMATE, NO_CERT_METHOD),
        "no_cert_annual_high": (median * without_high, ESTIMATE, NO_CERT_METHOD),
        "cert_only_text": (
            [cert_factors.describe(cert, m, a) for m, a in zip(median, area_names, strict=True)],
            ESTIMATE,
            CERT_ONLY_METHOD,
        ),
    }
    if basis == "occupation group" and "education" in found.bases:
        edu = found.range("education")
        out |= {
            "edu_cert_factor_low": (edu.factor_low, DERIVED, "ratio of published CPS medians"),
            "edu_cert_factor_high": (edu.factor_high, DERIVED, "ratio of published CPS medians"),
            "edu_cert_annual_low": (median * edu.factor_low, ESTIMATE, CERT_METHOD),
            "edu_cert_annual_high": (median * edu.factor_high, ESTIMATE, CERT_METHOD),
            "edu_cert_source": (edu.cert_source, DERIVED, ""),
        }
    out |= {
        "cert_method": (CERT_METHOD, ESTIMATE, CERT_METHOD),
        "cert_source": (every.cert_source, DERIVED, ""),
        "cert_note": ("; ".join(found.notes), DERIVED, ""),
    }
    return out


def without_factors(found: cert_factors.FactorRange) -> tuple[float, float]:
    """The lowest and highest ratio of the median without a certification or license to all
    workers' median, over the CPS rows of ``found`` (NaN when it has none)."""
    ratios = [without / total for *_, total, without in found.cells if total > 0]
    return (min(ratios), max(ratios)) if ratios else (np.nan, np.nan)


def sentence(row: pd.Series | dict) -> str:
    """The outlook's line: "With a certification: about $X–$Y a year (estimate: ...)"."""
    text = row.get("cert_only_text", "")
    if not isinstance(text, str) or not text:
        return "With a certification: no estimate (no CPS certification figures)"
    return f"With a certification: {text}"


def credential_table(
    table: pd.DataFrame, *, settings: Settings | None = None, table54: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Pay with a certification for each row of an occupation table (group reports).

    ``table`` has ``occupation_code``, ``occupation_title`` and ``annual_median`` (with
    ``is_topcoded_annual_median`` if any are top-coded: a bound is not multiplied), and
    ``typical_education`` if known (else EP's is looked up). Returns one row per occupation:
    its EP entry education, the basis, the CPS factor range with a certification but no
    license, the annual estimate low/high and the exact CPS cells (``cert_source``).
    """
    settings = get_settings(settings)
    if table54 is None:
        from marketdata.datasets import cps, cps_characteristics

        table54 = cps_characteristics.load(settings=settings)
        group_table = cps.cached_group_table(settings=settings)
    else:
        group_table = None
    if "typical_education" in table:
        educations, why = (
            dict(zip(table["occupation_code"], table["typical_education"], strict=True)),
            "",
        )
    else:
        educations, why = entry_educations(settings=settings)
    topcoded = table.get("is_topcoded_annual_median", pd.Series(False, index=table.index))
    rows = []
    # An occupation's factors depend on its code only through its CPS group (and parents):
    # worked out once per group and entry education, not once per occupation.
    done: dict[
        tuple[tuple[str, ...], str | None], tuple[cert_factors.FactorRange, tuple[str, ...]]
    ] = {}
    for r, capped in zip(table.itertuples(index=False), topcoded.fillna(False), strict=True):
        code = str(r.occupation_code)
        education = educations.get(code)
        education = education if isinstance(education, str) and education else None
        try:
            key = (cps_group(code), education)
            if key not in done:
                found = cert_factors.factors(
                    code,
                    education,
                    settings=settings,
                    group_table=group_table if group_table is not None else False,
                    table54=table54,
                )
                done[key] = (found.range(found.headline or "all workers", CERT_ONLY), found.notes)
        except MarketdataError as err:
            rows.append({"occupation_code": code, "cert_note": " ".join(str(err).split())})
            continue
        cert, notes = done[key]
        median = float(r.annual_median) if pd.notna(r.annual_median) and not capped else np.nan
        missing = why or ("" if education else f"EP has no typical entry education for {code}")
        rows.append(
            {
                "occupation_code": code,
                "occupation_title": r.occupation_title,
                "entry_education": education or "",
                "cert_basis": cert.basis,
                "annual_median": median,
                "cert_only_factor_low": cert.factor_low,
                "cert_only_factor_high": cert.factor_high,
                "cert_only_annual_low": median * cert.factor_low,
                "cert_only_annual_high": median * cert.factor_high,
                "cert_source": cert.cert_source,
                "cert_note": "; ".join(filter(None, [missing, *notes])),
            }
        )
    out = pd.DataFrame(rows)
    out.attrs["method"] = CERT_ONLY_METHOD
    sources = list(table54.attrs.get("provenance", []))
    if group_table is not None:
        sources += list(group_table.attrs.get("provenance", []))
    out.attrs["provenance"] = sources
    return out
