"""Notebook parameters as ``marketdata report`` and ``batch`` read them from the command line
(part of :mod:`marketdata.cli`)."""

from __future__ import annotations

from collections.abc import Sequence

from marketdata.errors import ReportError


def report_parameters(tokens: Sequence[str]) -> dict[str, object]:
    """``--name value`` pairs (also ``--name=value``) as notebook parameters; ``-`` in names
    becomes ``_``; a name given twice makes a list."""
    found: dict[str, object] = {}
    items = list(tokens)
    while items:
        token = items.pop(0)
        if not token.startswith("--") or len(token) < 3:
            raise ReportError(f"expected --name value, got {token!r}")
        name, equals, value = token[2:].partition("=")
        if not equals:
            if not items or items[0].startswith("--"):
                raise ReportError(f"--{name} needs a value")
            value = items.pop(0)
        key = name.replace("-", "_")
        if key in found:
            before = found[key]
            found[key] = [*before, value] if isinstance(before, list) else [before, value]
        else:
            found[key] = value
    return found


def wants_help(tokens: Sequence[str]) -> bool:
    return any(t in ("-h", "--help") for t in tokens)


def single_values(name: str, params: dict[str, object], *, over: bool = False) -> None:
    """ReportError if a parameter that takes one value was given several times."""
    from marketdata.reports import usage

    single = {p.name for p in usage.parameters(name) if not p.many}
    for key, value in params.items():
        if isinstance(value, list) and key in single:
            option = "--" + key.replace("_", "-")
            listed = ",".join(str(v) for v in value)
            how = "add it to --over" if over else f"use `marketdata batch {name} --over"
            raise ReportError(
                f"report {name} takes one {key}, and {option} was given {len(value)} times "
                f"({', '.join(map(str, value))}). To run the report for each, "
                + (f"{how} ({key}={listed})" if over else f"{how} {key}={listed}`")
            )
