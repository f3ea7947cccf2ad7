"""The only module that talks to the network.

One ``requests`` session per settings, a User-Agent with the user's contact e-mail
(BLS answers 403 to anonymous scripts), timeouts, retries with exponential backoff on
connection errors, 429 and 5xx (honouring ``Retry-After``), conditional requests and
streaming downloads with a size check and SHA-256.
"""

from __future__ import annotations

import email.utils
import hashlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests
import urllib3

from marketdata import __version__
from marketdata.core.config import Settings, get_settings
from marketdata.core.errors import ContactRequired, FetchError, RateLimited, SourceFormatError
from marketdata.io import progress

logger = logging.getLogger(__name__)

_CHUNK = 1 << 16  # what a cut connection loses at most: the chunk being read
_PROGRESS_MIN_BYTES = 8 << 20
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
_UNREACHABLE_FOR = 300.0  # seconds a host that could not be reached is not asked again
_unreachable: dict[str, float] = {}  # host -> when it was found unreachable (per process)
CONTACT_HINT = (
    "BLS refuses downloads from clients that do not give contact details. "
    "Set MARKETDATA_CONTACT to your e-mail address (it goes into the User-Agent header), "
    "or download the file in a browser and add it with `marketdata cache add PATH`."
)
BLOCKED_HINT = (
    "BLS refused the download although a contact e-mail was sent; BLS has been reported to block "
    "some scripted clients outright. Download the file in a browser from {url} and add it with "
    "`marketdata cache add PATH`."
)


@dataclass(frozen=True)
class Download:
    """Outcome of :func:`download`: status 200 (body written) or 304 (not modified)."""

    status: int
    etag: str | None = None
    last_modified: str | None = None
    size: int = 0
    sha256: str = ""


def user_agent(settings: Settings) -> str:
    """The User-Agent sent to BLS: package, version and the contact e-mail if set."""
    base = f"marketdata/{__version__} (+https://github.com/marketdata/marketdata"
    return f"{base}; contact: {settings.contact})" if settings.contact else f"{base})"


@lru_cache(maxsize=8)
def get_session(settings: Settings) -> requests.Session:
    """A session with the package's User-Agent (one per settings object)."""
    session = requests.Session()
    session.headers["User-Agent"] = user_agent(settings)
    return session


def redact(text: str, settings: Settings) -> str:
    """Replace every secret of ``settings`` in ``text`` with ``***``."""
    for secret in settings.secrets():
        text = text.replace(secret, "***")
    return text


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None  # unreadable: fall back to our own backoff
    return max(0.0, parsed.timestamp() - time.time())


def _cannot_connect(err: requests.RequestException) -> str | None:
    """Why no connection could be made at all (name not resolved, refused), or None.

    A host that can't be resolved or refuses connections is down or out of reach (no
    network): retrying it for every file only makes the user wait.
    """
    if not isinstance(err, requests.ConnectionError):
        return None
    reason = getattr(err.args[0], "reason", None) if err.args else None
    if isinstance(reason, urllib3.exceptions.NameResolutionError):
        return "host name not resolved"
    if isinstance(reason, urllib3.exceptions.NewConnectionError):
        return "connection refused"
    return None


def _unreachable_error(url: str, why: str) -> FetchError:
    return FetchError(
        f"could not reach {urlsplit(url).netloc} ({why}) for {url}",
        url=url,
        hint="Check the network, or set MARKETDATA_OFFLINE=1 to use cached and bundled data.",
    )


def _raise_for_status(response: requests.Response, url: str, settings: Settings) -> None:
    status = response.status_code
    if status == 403:
        if settings.contact:
            raise ContactRequired(
                f"403 Forbidden from {url}", url=url, status=403, hint=BLOCKED_HINT.format(url=url)
            )
        raise ContactRequired(f"403 Forbidden from {url}", url=url, status=403, hint=CONTACT_HINT)
    if status == 404:
        raise FetchError(
            f"404 Not Found: {url}",
            url=url,
            status=404,
            hint="BLS may have moved or renamed the file; check the URL or the base-URL settings.",
        )
    if status == 429:
        raise RateLimited(f"429 Too Many Requests from {url}", url=url, status=429)
    if status >= 400:
        raise FetchError(f"HTTP {status} from {url}", url=url, status=status)


def _request(
    method: str,
    url: str,
    *,
    settings: Settings,
    on_response: Callable[[requests.Response], Any],
    **kwargs: Any,
) -> Any:
    """Send a request with retries; ``on_response`` consumes a successful response.

    ``on_response`` may raise ``requests.RequestException`` (e.g. a body cut short):
    that counts as a connection error and is retried.
    """
    session = get_session(settings)
    host = urlsplit(url).netloc
    since = _unreachable.get(host)
    if since is not None and time.monotonic() - since < _UNREACHABLE_FOR:
        raise _unreachable_error(url, "it could not be reached moments ago")
    attempts = settings.retries + 1
    for attempt in range(attempts):
        last = attempt == attempts - 1
        delay = settings.backoff * 2**attempt
        try:
            response = session.request(method, url, timeout=settings.timeout, stream=True, **kwargs)
        except requests.RequestException as err:
            why = _cannot_connect(err)
            if last or why == "host name not resolved":
                if why is not None:
                    _unreachable[host] = time.monotonic()
                raise _unreachable_error(url, why or type(err).__name__) from None
            logger.info(
                "%s %s failed (%s); retry in %.1f s", method, url, type(err).__name__, delay
            )
            time.sleep(delay)
            continue
        _unreachable.pop(host, None)
        with response:
            if response.status_code in _RETRY_STATUS:
                wait = _retry_after(response)
                if wait is not None and wait > settings.max_wait:
                    raise RateLimited(
                        f"HTTP {response.status_code} from {url}: the server asks to retry "
                        f"in {wait:.0f} s",
                        url=url,
                        status=response.status_code,
                        hint="Try again later.",
                    )
                if last:
                    _raise_for_status(response, url, settings)
                wait = delay if wait is None else wait
                logger.warning("HTTP %s from %s; retry in %.1f s", response.status_code, url, wait)
                time.sleep(wait)
                continue
            if response.status_code == 416 and "Range" in kwargs.get("headers", {}) and not last:
                # the bytes kept from an earlier try reach past the file: ask for all of it
                logger.warning("HTTP 416 from %s for a resumed download; starting again", url)
                kwargs["headers"].pop("Range")
                kwargs["headers"].pop("If-Range", None)
                continue
            _raise_for_status(response, url, settings)
            try:
                return on_response(response)
            except requests.RequestException as err:
                if last:
                    raise FetchError(
                        f"download of {url} was cut short: {type(err).__name__}", url=url
                    ) from None
                logger.warning("reading %s failed (%s); retry in %.1f s", url, err, delay)
                time.sleep(delay)
    raise AssertionError("unreachable")  # pragma: no cover


def _resume_point(dest: Path, validator: str | None) -> int:
    """Bytes of ``dest`` a download can continue from (0: start again)."""
    return dest.stat().st_size if validator and dest.exists() else 0


def download(
    url: str,
    dest: Path,
    *,
    settings: Settings | None = None,
    etag: str | None = None,
    last_modified: str | None = None,
    resume: str | None = None,
) -> Download:
    """Stream ``url`` into ``dest``; with ``etag``/``last_modified`` ask only if changed.

    When the download fails, the exception's ``resume`` attribute is the validator of the
    bytes left in ``dest`` (pass it back as ``resume`` to continue), or None.

    A body cut short is continued with a Range request (``If-Range`` with the server's ETag or
    Last-Modified, so a file changed meanwhile comes whole) when the server sent a validator,
    else retried from the start; its length is checked against Content-Length.
    ``resume``: the validator of bytes already in ``dest`` from an earlier, interrupted
    download; the download continues after them if the file is unchanged, else ``dest`` is
    overwritten. The caller decides where ``dest`` lands (see :mod:`marketdata.io.cache`).

    Raises
    ------
    ContactRequired
        On 403: set ``MARKETDATA_CONTACT`` or add the file by hand.
    RateLimited, FetchError
        When retries are exhausted or the server refuses.
    """
    settings = get_settings(settings)
    headers: dict[str, str] = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified

    def ask_from(validator: str | None) -> None:
        # the retry loop sends ``headers`` again: ask for what is still missing
        have = _resume_point(dest, validator)
        if have:
            headers.update({"Range": f"bytes={have}-", "If-Range": str(validator)})
        else:
            headers.pop("Range", None)
            headers.pop("If-Range", None)

    def save(response: requests.Response) -> Download:
        tags = {
            "etag": response.headers.get("ETag"),
            "last_modified": response.headers.get("Last-Modified"),
        }
        if response.status_code == 304:
            return Download(status=304, **tags)
        digest = hashlib.sha256()
        start = _partial_start(response, headers)
        if start:
            with dest.open("rb") as f:
                for block in iter(lambda: f.read(_CHUNK), b""):
                    digest.update(block)
        length = int(response.headers.get("Content-Length", 0)) or None
        total = start + length if length is not None else None
        size = start
        small = not total or total < _PROGRESS_MIN_BYTES
        name = Path(urlsplit(url).path).name
        logger.info("Downloading %s from %s to %s", name, url, dest)
        with (
            dest.open("ab" if start else "wb") as out,
            progress.bar(
                total=total,
                initial=start,
                unit="B",
                unit_scale=True,
                disable=small,
                desc=name,
                settings=settings,
            ) as bar,
        ):
            try:
                for chunk in response.iter_content(_CHUNK):
                    out.write(chunk)
                    digest.update(chunk)
                    size += len(chunk)
                    bar.update(len(chunk))
            finally:
                out.flush()
                ranges = response.headers.get("Accept-Ranges", "bytes") != "none"
                ask_from((tags["etag"] or tags["last_modified"]) if ranges else None)
        if total is not None and size != total:
            raise requests.exceptions.ChunkedEncodingError(f"received {size} of {total} bytes")
        return Download(status=200, size=size, sha256=digest.hexdigest(), **tags)

    ask_from(resume)
    try:
        return _request("GET", url, settings=settings, on_response=save, headers=headers)
    except BaseException as err:  # Ctrl-C included: the bytes in ``dest`` can still be resumed
        err.resume = headers.get("If-Range")  # type: ignore[attr-defined]
        raise


def _partial_start(response: requests.Response, headers: dict[str, str]) -> int:
    """Where the body of ``response`` starts in the file: the Range asked for on a 206
    (checked against Content-Range), 0 on a whole body."""
    if response.status_code != 206:
        return 0
    asked = int(headers.get("Range", "bytes=0-").removeprefix("bytes=").rstrip("-") or 0)
    given = response.headers.get("Content-Range", "")
    if not given.startswith(f"bytes {asked}-"):
        headers.pop("Range", None)  # start again from the first byte
        headers.pop("If-Range", None)
        raise requests.exceptions.ChunkedEncodingError(
            f"asked for bytes from {asked}, the server sent {given!r}"
        )
    return asked


def _json(response: requests.Response, url: str) -> Any:
    body = response.content
    try:
        return json.loads(body)
    except ValueError:
        start = body[:80].decode("utf-8", "replace")
        raise SourceFormatError(f"answer is not JSON (starts with {start!r})", source=url) from None


def get_json(url: str, *, settings: Settings | None = None, params: dict | None = None) -> Any:
    """GET ``url`` and return its JSON (retries as :func:`download`)."""
    settings = get_settings(settings)
    return _request(
        "GET", url, settings=settings, params=params, on_response=lambda r: _json(r, url)
    )


def post_json(url: str, payload: dict, *, settings: Settings | None = None) -> Any:
    """POST ``payload`` as JSON to ``url`` and return the JSON answer.

    The payload may hold the API key: it is never logged nor put into an error message.
    """
    settings = get_settings(settings)
    return _request(
        "POST", url, settings=settings, json=payload, on_response=lambda r: _json(r, url)
    )
