"""The environment a report notebook runs in, in a kernel or in this process: the
settings as ``MARKETDATA_*`` variables and the folder its files go to."""

from __future__ import annotations

import os
from pathlib import Path

from marketdata.core.config import Settings

__all__ = ["ENV_VAR", "kernel_env"]

#: The folder a report notebook writes its tables and figures to.
ENV_VAR = "MARKETDATA_REPORT_DIR"


def kernel_env(settings: Settings, report_dir: Path | None = None) -> dict[str, str]:
    """Environment of a report kernel: the settings as ``MARKETDATA_*`` variables (so the
    kernel reads the same cache and servers), and where the report's files go. Secrets pass
    through the kernel's environment only; they are never notebook parameters or written."""
    env = dict(os.environ)
    values = settings.to_env() | {"MPLBACKEND": "Agg", "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    env.update(values)
    if report_dir is not None:
        env[ENV_VAR] = str(report_dir)
    else:
        env.pop(ENV_VAR, None)
    return env
