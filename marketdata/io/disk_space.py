"""Turning a full disk into one clear line: which folder, how much space was needed."""

from __future__ import annotations

import contextlib
import errno
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

from marketdata.core.errors import DiskFullError

#: The errors of a write that found no room: no space, quota exceeded, file size limit.
FULL = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})
_FULL_TEXTS = tuple(f"[Errno {number}]" for number in sorted(FULL))


def is_full(err: BaseException) -> bool:
    """Whether ``err`` (or an error it was raised from) is a write that found no room."""
    seen: set[int] = set()
    current: BaseException | None = err
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and current.errno in FULL:
            return True
        # an error raised in a notebook's kernel comes back as text (papermill, nbclient)
        if any(text in str(current) for text in _FULL_TEXTS):
            return True
        current = current.__cause__ or current.__context__
    return False


def folder_size(folder: Path) -> int:
    """Bytes of the files under ``folder`` (0 if it is gone)."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def _megabytes(size: int) -> str:
    return f"{size / 1e6:,.1f} MB" if size >= 100_000 else f"{size / 1e3:,.0f} kB"


def free_space(folder: Path) -> int | None:
    """Bytes free for this user on the disk holding ``folder`` (None if it can't be told)."""
    for place in (folder, *folder.parents):
        if place.exists():
            try:
                return shutil.disk_usage(place).free
            except OSError:
                return None
    return None


def message(folder: Path, what: str, needed: int, *, at_least: bool = False) -> str:
    """The line a user reads when writing ``what`` (``needed`` bytes) into ``folder`` failed."""
    free = free_space(folder)
    room = f"; {_megabytes(free)} free" if free is not None else ""
    more = "more than " if at_least else ""
    return (
        f"no space left on the disk holding {folder}: {what} needs {more}{_megabytes(needed)}"
        f"{room}. Free some space there, or choose a folder on another disk."
    )


def raise_if_full(
    err: BaseException, folder: Path, what: str, needed: int, *, at_least: bool = False
) -> None:
    """Raise :class:`~marketdata.core.errors.DiskFullError` (one line naming ``folder`` and the
    ``needed`` bytes) if ``err`` is a write that found no room; else return."""
    if is_full(err) and not isinstance(err, DiskFullError):
        raise DiskFullError(message(folder, what, needed, at_least=at_least)) from None


@contextlib.contextmanager
def room_for(
    folder: Path, what: str, needed: Callable[[], int], *, at_least: bool = False
) -> Iterator[None]:
    """Raise :class:`~marketdata.core.errors.DiskFullError` (one line naming ``folder`` and the space
    ``needed()`` returns) when the body fails for lack of room. The body cleans up after itself
    (temporary files are removed by its own ``finally``)."""
    try:
        yield
    except Exception as err:  # a writer may wrap the OSError (pyarrow, nbconvert)
        if is_full(err):
            raise_if_full(err, folder, what, needed(), at_least=at_least)
        raise
