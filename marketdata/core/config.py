"""Settings from the environment, in one frozen object.

Environment variables (names are a contract):

- ``MARKETDATA_CACHE_DIR``: cache folder (default: the user cache dir from platformdirs).
- ``MARKETDATA_CONTACT``: e-mail put in the User-Agent; BLS answers 403 without contact details.
- ``MARKETDATA_BLS_DOWNLOAD_URL``: replaces ``https://download.bls.gov``.
- ``MARKETDATA_BLS_API_URL``: replaces ``https://api.bls.gov``.
- ``MARKETDATA_BLS_WWW_URL``: replaces ``https://www.bls.gov``.
- ``MARKETDATA_PROJECTIONS_CENTRAL_URL``: replaces ``https://public.projectionscentral.org``.
- ``MARKETDATA_BEA_URL``: replaces ``https://apps.bea.gov`` (BEA regional price parities).
- ``MARKETDATA_ONET_URL``: replaces ``https://www.onetcenter.org`` (the O*NET database).
- ``BLS_API_KEY``: registration key for the BLS Public Data API v2 (optional).
- ``MARKETDATA_OFFLINE=1``: never use the network.
- ``MARKETDATA_TIMEOUT``: seconds to wait for a server (default 60).
- ``MARKETDATA_RETRIES``: attempts after the first on connection errors, 429 and 5xx (default 4).
- ``MARKETDATA_BACKOFF``: seconds before the first retry, doubling each time (default 1).
- ``MARKETDATA_MAX_WAIT``: the longest ``Retry-After`` waited for before giving up (default 120).
- ``MARKETDATA_PROGRESS``: ``1`` shows download progress bars, ``0`` hides them; unset, they
  show on a terminal and in Jupyter, never in CI (``CI`` set) nor in a report's kernel
  (``MARKETDATA_REPORT_DIR`` set, which also overrides ``1``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import platformdirs

from marketdata.core.errors import ConfigError

__all__ = [
    "DEFAULT_API_URL",
    "DEFAULT_BEA_URL",
    "DEFAULT_DOWNLOAD_URL",
    "DEFAULT_ONET_URL",
    "DEFAULT_PROJECTIONS_CENTRAL_URL",
    "DEFAULT_WWW_URL",
    "Settings",
    "get_settings",
    "reset_settings",
]

DEFAULT_DOWNLOAD_URL = "https://download.bls.gov"
DEFAULT_API_URL = "https://api.bls.gov"
DEFAULT_WWW_URL = "https://www.bls.gov"
DEFAULT_PROJECTIONS_CENTRAL_URL = "https://public.projectionscentral.org"
DEFAULT_BEA_URL = "https://apps.bea.gov"
DEFAULT_ONET_URL = "https://www.onetcenter.org"
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}
#: Set in a report's kernel (:data:`marketdata.report_kit.ENV_VAR`): reports show no bars.
_REPORT_DIR = "MARKETDATA_REPORT_DIR"


def _base_url(env: dict[str, str], name: str, default: str) -> str:
    value = env.get(name, "").strip() or default
    if not value.startswith(("http://", "https://")):
        raise ConfigError(f"{name}={value!r} is not a URL: give scheme and host, e.g. {default}")
    return value.rstrip("/")


def _progress(env: dict[str, str]) -> bool | None:
    """True, False, or None (auto: a terminal or Jupyter) from MARKETDATA_PROGRESS, CI and
    whether this is a report's kernel."""
    if env.get(_REPORT_DIR, "").strip():
        return False
    raw = env.get("MARKETDATA_PROGRESS", "").strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE or env.get("CI", "").strip().lower() not in ("", *_FALSE):
        return False
    if raw:
        raise ConfigError(f"MARKETDATA_PROGRESS={raw!r}: give 1 (bars) or 0 (no bars)")
    return None


def _number(env: dict[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return float(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a number") from None


@dataclass(frozen=True)
class Settings:
    """Everything the package reads from the environment.

    Secrets (``api_key``, ``contact``) are left out of ``repr`` so that they never
    reach logs or tracebacks.
    """

    cache_dir: Path
    contact: str | None = field(default=None, repr=False)
    api_key: str | None = field(default=None, repr=False)
    offline: bool = False
    bls_download_url: str = DEFAULT_DOWNLOAD_URL
    bls_api_url: str = DEFAULT_API_URL
    bls_www_url: str = DEFAULT_WWW_URL
    projections_central_url: str = DEFAULT_PROJECTIONS_CENTRAL_URL
    bea_url: str = DEFAULT_BEA_URL
    onet_url: str = DEFAULT_ONET_URL
    timeout: float = 60.0
    retries: int = 4
    backoff: float = 1.0  # seconds before the first retry; doubles each time
    max_wait: float = 120.0  # longest Retry-After we wait for before raising RateLimited
    progress: bool | None = None  # download bars: None = on a terminal or in Jupyter

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        """Build settings from ``env`` (default: ``os.environ``)."""
        env = dict(os.environ if env is None else env)
        cache = env.get("MARKETDATA_CACHE_DIR", "").strip()
        return cls(
            cache_dir=Path(cache).expanduser()
            if cache
            else Path(platformdirs.user_cache_dir("marketdata")),
            contact=env.get("MARKETDATA_CONTACT", "").strip() or None,
            api_key=env.get("BLS_API_KEY", "").strip() or None,
            offline=env.get("MARKETDATA_OFFLINE", "").strip().lower() in _TRUE,
            bls_download_url=_base_url(env, "MARKETDATA_BLS_DOWNLOAD_URL", DEFAULT_DOWNLOAD_URL),
            bls_api_url=_base_url(env, "MARKETDATA_BLS_API_URL", DEFAULT_API_URL),
            bls_www_url=_base_url(env, "MARKETDATA_BLS_WWW_URL", DEFAULT_WWW_URL),
            projections_central_url=_base_url(
                env, "MARKETDATA_PROJECTIONS_CENTRAL_URL", DEFAULT_PROJECTIONS_CENTRAL_URL
            ),
            bea_url=_base_url(env, "MARKETDATA_BEA_URL", DEFAULT_BEA_URL),
            onet_url=_base_url(env, "MARKETDATA_ONET_URL", DEFAULT_ONET_URL),
            timeout=_number(env, "MARKETDATA_TIMEOUT", 60.0),
            retries=int(_number(env, "MARKETDATA_RETRIES", 4)),
            backoff=_number(env, "MARKETDATA_BACKOFF", 1.0),
            max_wait=_number(env, "MARKETDATA_MAX_WAIT", 120.0),
            progress=_progress(env),
        )

    def to_env(self) -> dict[str, str]:
        """These settings as environment variables, so that a child process (a report's
        kernel, a batch worker) reads exactly the same settings with :meth:`from_env`."""
        return {
            "MARKETDATA_CACHE_DIR": str(self.cache_dir),
            "MARKETDATA_CONTACT": self.contact or "",
            "BLS_API_KEY": self.api_key or "",
            "MARKETDATA_OFFLINE": "1" if self.offline else "0",
            "MARKETDATA_BLS_DOWNLOAD_URL": self.bls_download_url,
            "MARKETDATA_BLS_API_URL": self.bls_api_url,
            "MARKETDATA_BLS_WWW_URL": self.bls_www_url,
            "MARKETDATA_PROJECTIONS_CENTRAL_URL": self.projections_central_url,
            "MARKETDATA_BEA_URL": self.bea_url,
            "MARKETDATA_ONET_URL": self.onet_url,
            "MARKETDATA_TIMEOUT": str(self.timeout),
            "MARKETDATA_RETRIES": str(self.retries),
            "MARKETDATA_BACKOFF": str(self.backoff),
            "MARKETDATA_MAX_WAIT": str(self.max_wait),
            "MARKETDATA_PROGRESS": {True: "1", False: "0", None: ""}[self.progress],
        }

    def replace(self, **changes: object) -> Settings:
        """Return a copy with some fields changed."""
        return replace(self, **changes)  # type: ignore[arg-type]

    def secrets(self) -> list[str]:
        """The values that must never be written anywhere (for redaction and tests)."""
        return [s for s in (self.api_key, self.contact) if s]


@lru_cache(maxsize=1)
def _cached() -> Settings:
    return Settings.from_env()


def get_settings(settings: Settings | None = None) -> Settings:
    """Return ``settings`` if given, else the settings read once from the environment.

    Call ``reset_settings()`` after changing environment variables in a running process.
    """
    return settings if settings is not None else _cached()


def reset_settings() -> None:
    """Forget the settings read from the environment, so the next call reads them again."""
    _cached.cache_clear()
