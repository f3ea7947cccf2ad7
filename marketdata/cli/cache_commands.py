"""``marketdata cache``: inspect, verify, fill or clear the cache (for :mod:`marketdata.cli.commands`)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from marketdata.core.config import Settings, get_settings
from marketdata.core.errors import ConfigError


def cmd_cache(action: str, paths: list[Path], *, yes: bool) -> int:
    """Inspect, verify, fill or clear the cache (``action``: info, verify, add, clear)."""
    from marketdata.io import cache

    settings = get_settings()
    if action == "add" and not paths:
        raise click.UsageError("cache add needs the PATH of at least one file saved from BLS")
    if action != "add" and paths:
        raise click.UsageError(f"cache {action} takes no paths (only cache add does)")
    if action == "info":
        print(f"Cache folder: {settings.cache_dir}")
        for entry in cache.entries(settings=settings):
            hand = " (added by hand)" if entry.added_by_hand else ""
            print(f"{entry.key}\t{entry.size:>12,d} B\t{entry.retrieved}\t{entry.url}{hand}")
    elif action == "verify":
        result = cache.verify(settings=settings)
        bad = [k for k, ok in result.items() if not ok]
        print(f"{len(result)} files checked, {len(bad)} damaged and removed")
        for key in bad:
            print(f"damaged: {key}")
        return 1 if bad else 0
    elif action == "add":
        from marketdata.sources import identify

        for path in paths:
            known = identify(Path(path), settings=settings)
            entry = cache.add_file(
                Path(path), key=known.key, url=known.url, settings=settings, check=known.check
            )
            print(f"added {path} as {known.description} ({entry.key}, sha256 {entry.sha256})")
    elif action == "clear":
        return clear_cache(settings, yes=yes)
    return 0


def clear_cache(settings: Settings, *, yes: bool) -> int:
    """Remove what marketdata wrote in the cache folder, after asking (unless ``yes``)."""
    from marketdata.io import cache_clear

    todo = cache_clear.plan(settings=settings)
    if not todo.files:
        print(f"Nothing to clear: no marketdata cache files in {todo.folder}")
        return 0
    files = f"{len(todo.files)} file" + ("s" if len(todo.files) != 1 else "")
    what = (
        f"{files} that marketdata wrote in {todo.folder} ({todo.entries} cached entries with "
        f"their metadata, locks and temporary files; {todo.size / 1e6:,.1f} MB)"
    )
    if not yes:
        if not sys.stdin.isatty():
            raise ConfigError(
                f"cache clear would remove {what}, and there is no terminal to ask: "
                "add --yes to remove them"
            )
        answer = input(f"Remove {what}? Other files there are kept. [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            print("Nothing removed.")
            return 1
    cache_clear.clear(todo)
    print(f"Removed {what}; other files there were kept.")
    return 0
