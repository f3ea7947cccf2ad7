"""Putting a finished file or folder in place in one step, replacing what was there.

A reader of ``target`` sees the old version or the new one, never a half-written one and,
where the system can swap two paths at once (Linux ``renameat2`` with ``RENAME_EXCHANGE``),
never nothing.
"""

from __future__ import annotations

import os
import shutil
import sys
import uuid
from pathlib import Path


def exchange(a: Path, b: Path) -> bool:
    """Swap the paths ``a`` and ``b`` (files or folders) in one step; False where the system
    or file system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:  # glibc before 2.28, musl
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def remove(path: Path) -> None:
    """Remove the file or folder ``path`` if it is there."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def place(tmp: Path, target: Path) -> None:
    """Move the finished ``tmp`` (a file or folder) to ``target``, replacing what is there.
    Where the system can, the two are swapped in one step; elsewhere a folder (or a file
    replacing a folder or the other way round) is moved aside first."""
    if target.exists() or target.is_symlink():
        if exchange(tmp, target):
            remove(tmp)  # it holds the older version now
            return
        if not tmp.is_dir() and not target.is_dir():
            os.replace(tmp, target)
            return
        old = target.with_name(f".{target.name}.old-{uuid.uuid4().hex[:8]}")
        os.replace(target, old)
        os.replace(tmp, target)
        remove(old)
        return
    os.replace(tmp, target)
