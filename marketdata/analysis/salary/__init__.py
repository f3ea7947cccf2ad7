"""Salary breakdown of one occupation by area, experience level and credential.

:func:`breakdown` answers a counselor's question — what would this student earn here,
starting out, and does a certification pay? — from BLS data, with every figure labelled:

- **BLS published** (OEWS): employment, wages and their percentiles, location quotient,
  jobs per 1,000, relative standard errors. Copied, never changed. Top-coded wages keep
  BLS's bound and ``is_topcoded_<column>`` is True; suppressed values stay NaN and
  ``bls_notes`` gives BLS's reason.
- **derived from BLS figures**: ratios of medians (area vs its state and the nation) and
  95 % sampling intervals from the published RSEs. Arithmetic on published numbers; NaN
  when an input is suppressed or top-coded (a ratio of a bound is not a number).
- **estimate** (a model, labelled in ``experience_method`` / ``cert_method``): experience
  bands and pay with a credential.
- **user-supplied**: credential factors from the user's CSV, in ``user_*`` columns only.
- **EP** (BLS Employment Projections): education and training assignments and educational
  attainment ("what it takes"), national.

Modules: :mod:`~marketdata.analysis.salary.pay_bands` builds the breakdown (published figures,
comparisons, sampling intervals, experience bands and the rule behind them, EP);
:mod:`~marketdata.analysis.salary.credential_columns` the credential factors (CPS-derived and the user's);
:mod:`~marketdata.analysis.salary.figure_kinds` the labels every column carries; :func:`display`
(:mod:`~marketdata.analysis.salary.text`) the text table.
"""

from marketdata.analysis.salary.credential_columns import check_user_factors, read_user_factors
from marketdata.analysis.salary.pay_bands import breakdown
from marketdata.analysis.salary.text import display

__all__ = ["breakdown", "check_user_factors", "display", "read_user_factors"]
