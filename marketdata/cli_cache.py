"""``marketdata cache``: inspect, verify, fill or clear the cache (for :mod:`marketdata.cli`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from marketdata.config import Settings, get_settings
from marketdata.errors import ConfigError


def cmd_cache(args: argparse.Namespace) -> int:
    """Inspect, verify, fill or clear the cache."""
    from marketdata import cache

    settings = get_settings()
    if args.action == "add" and not args.paths:
        args.parser.error("cache add needs the PATH of at least one file saved from BLS")
    if args.action != "add" and args.paths:
        args.parser.error(f"cache {args.action} takes no paths (only cache add does)")
    if args.action == "info":
        print(f"Cache folder: {settings.cache_dir}")
        for entry in cache.entries(settings=settings):
            hand = " (added by hand)" if entry.added_by_hand else ""
            print(f"{entry.key}\t{entry.size:>12,d} B\t{entry.retrieved}\t{entry.url}{hand}")
    elif args.action == "verify":
        result = cache.verify(settings=settings)
        bad = [k for k, ok in result.items() if not ok]
        print(f"{len(result)} files checked, {len(bad)} damaged and removed")
        for key in bad:
            print(f"damaged: {key}")
        return 1 if bad else 0
    elif args.action == "add":
        from marketdata.sources import identify

        for path in args.paths:
            known = identify(Path(path), settings=settings)
            entry = cache.add_file(
                Path(path), key=known.key, url=known.url, settings=settings, check=known.check
            )
            print(f"added {path} as {known.description} ({entry.key}, sha256 {entry.sha256})")
    elif args.action == "clear":
        return clear_cache(settings, yes=args.yes)
    return 0


def clear_cache(settings: Settings, *, yes: bool) -> int:
    """Remove what marketdata wrote in the cache folder, after asking (unless ``yes``)."""
    from marketdata import cache_clear

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
