"""Secrets, untrusted names and untrusted archives, tried on purpose.

One full report run (module fixture) with a BLS API key and a contact e-mail set, against a
local server whose OEWS files carry hostile names (markup and path traversal in an area name
and an occupation title), plus API calls and downloads that fail in the ways that put text in
exceptions. Afterwards every file of the cache and of the output folder, the executed notebook,
every log record and every exception text is searched for the two secrets.
"""

from __future__ import annotations

import html
import io
import json
import logging
import re
import traceback
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import nbformat
import pandas as pd
import pytest

from marketdata import reports
from marketdata.core.config import Settings
from marketdata.core.errors import ContactRequired, FetchError, MarketdataError, SourceFormatError
from marketdata.datasets import api, oews, oews_history, projections
from marketdata.io import cache
from marketdata.reports import folders
from marketdata.sources import ep, oe
from marketdata.sources import oews_archive as oa
from tests.bls_server import Answer, BLSServer, Request
from tests.conftest import DATA

KEY = "SECRETKEY0f3a9c51d7e24b8a6c0d9e1f"  # made up, distinctive
CONTACT = "secret.contact.4b2e9@example.org"
SECRETS = (KEY, CONTACT)
AREA_NAME = "<script>alert(1)</script>/../../evil\\..\\x, OH"
TITLE = '<img src=x onerror="alert(2)">Medical Records Specialists'
PACKAGE = Path(__file__).resolve().parent.parent / "marketdata"


def hostile_oe_files() -> dict[str, bytes]:
    """The real May 2025 slice, with a metro's name and a title replaced by hostile text."""
    files = {name: (DATA / "oe" / name).read_bytes() for name in oe.FILES}
    area = files["oe.area"].replace(b"\tColumbus, OH\r\n", f"\t{AREA_NAME}\r\n".encode())
    occ = files["oe.occupation"].replace(
        b"\tMedical Records Specialists\t", f"\t{TITLE}\t".encode()
    )
    assert area != files["oe.area"] and occ != files["oe.occupation"]
    return files | {"oe.area": area, "oe.occupation": occ}


def api_answer(request: Request) -> Answer:
    """Like BLS: the asked OEWS series from the recorded answer; an error that echoes the key."""
    payload = json.loads(request.body)
    if payload.get("startyear") == "1999":  # a refusal quoting what was sent, key included
        body = {
            "status": "REQUEST_NOT_PROCESSED",
            "message": [f"Invalid registration key {payload.get('registrationkey')} for 1999"],
            "Results": {},
        }
        return Answer(200, {"Content-Type": "application/json"}, json.dumps(body).encode())
    recorded = json.loads((DATA / "api" / "oews-2025-answer.json").read_text())
    series = [s for s in recorded["Results"]["series"] if s["seriesID"] in payload["seriesid"]]
    body = {"status": "REQUEST_SUCCEEDED", "message": [], "Results": {"series": series}}
    return Answer(200, {"Content-Type": "application/json"}, json.dumps(body).encode())


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.texts: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.texts.append(self.format(record))


@dataclass
class Run:
    settings: Settings
    outputs: Path
    report: reports.ReportResult
    errors: list[str] = field(default_factory=list)
    logs: list[str] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    server = BLSServer().start()
    for name, body in hostile_oe_files().items():
        server.add(oews.OE_PATH + name, body)
    server.add("/emp/ind-occ-matrix/occupation.xlsx", DATA / "ep" / "occupation_2024-34.xlsx")
    server.add_handler(api.ENDPOINT, api_answer)
    server.add_handler("/refused", lambda r: Answer(403, {}, b"Access Denied"))
    server.add_handler("/broken", lambda r: Answer(500, {}, b"Internal error " + KEY.encode()))
    base = tmp_path_factory.mktemp("secrets")
    settings = Settings(
        cache_dir=base / "cache",
        contact=CONTACT,
        api_key=KEY,
        offline=False,
        bls_download_url=server.url,
        bls_api_url=server.url,
        bls_www_url=server.url,
        projections_central_url=server.url,
        timeout=10,
        retries=1,
        backoff=0.01,
    )
    records = Records()
    records.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(records)
    root.setLevel(logging.DEBUG)
    errors: list[str] = []
    try:
        outputs = base / "outputs"
        report = reports.run(
            "regional_salary_report",
            output_dir=outputs,
            settings=settings,
            area="18140",
            occupations="29-2072",
        )
        projections.load(settings=settings)
        ids = ["OEUN000000000000029207213", "OEUS390000000000029207213"]
        api.series(ids, start=2025, end=2025, settings=settings)
        for call in (
            lambda: api.series(ids, start=1999, end=1999, settings=settings),
            lambda: cache.fetch(server.url + "/refused", key="x/refused", settings=settings),
            lambda: cache.fetch(server.url + "/broken", key="x/broken", settings=settings),
            lambda: cache.fetch(
                server.url + "/refused", key="x/r2", settings=settings.replace(contact=None)
            ),
            lambda: oews.load("no such job", settings=settings),
        ):
            try:
                call()
            except MarketdataError as err:
                errors.append("".join(traceback.format_exception(err)) + repr(err))
        yield Run(settings, outputs, report, errors, records.texts, list(server.requests))
    finally:
        root.removeHandler(records)
        root.setLevel(old_level)
        server.stop()


def _forms(secret: str) -> list[bytes]:
    """The secret as written plainly, URL-encoded and JSON-escaped."""
    return sorted({secret.encode(), quote(secret).encode(), json.dumps(secret)[1:-1].encode()})


def _files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


# Secrets ----------------------------------------------------------------------------------


def test_secrets_are_nowhere_on_disk(run: Run) -> None:
    files = _files(run.settings.cache_dir) + _files(run.outputs)
    assert len(files) > 20  # the run really wrote: raw files, Parquet, API answers, report
    assert any(p.suffix == ".ipynb" for p in files) and any(p.suffix == ".html" for p in files)
    assert list((run.settings.cache_dir / "json" / "api").glob("*.json"))
    for path in files:
        data = path.read_bytes()
        for secret in SECRETS:
            for form in _forms(secret):
                assert form not in data, f"{secret!r} found in {path}"


def test_secrets_are_not_in_logs_or_exceptions(run: Run) -> None:
    assert len(run.errors) == 5  # each failing call raised the package's error
    assert any("Invalid registration key" in e for e in run.errors)  # the echo was kept...
    assert any("***" in e for e in run.errors)  # ...with the key replaced
    assert any("MARKETDATA_CONTACT" in e for e in run.errors)  # 403 without contact
    assert run.logs  # DEBUG logging of every logger was captured
    for text in [*run.errors, *run.logs]:
        for secret in SECRETS:
            assert secret not in text


def test_papermill_parameters_hold_no_secret(run: Run) -> None:
    nb = nbformat.read(run.report.notebook, as_version=4)
    parameters = nb.metadata["papermill"]["parameters"]
    assert set(parameters) <= set(reports.notebook_parameters("regional_salary_report"))
    text = json.dumps(parameters)
    assert all(secret not in text for secret in SECRETS)
    manifest = json.loads(run.report.manifest.read_text())
    assert all(secret not in json.dumps(manifest) for secret in SECRETS)


def test_secrets_were_sent_where_they_belong(run: Run) -> None:
    """The searches above mean something: the secrets were in use. The contact went in the
    User-Agent of every request (the kernel's too), the key only in the API's POST bodies."""
    gets = [r for r in run.requests if r.method == "GET" and r.path != "/refused"]
    posts = [r for r in run.requests if r.method == "POST"]
    assert gets and all(CONTACT in r.headers["user-agent"] for r in gets)
    assert posts and all(KEY in r.body.decode() for r in posts)
    assert not any(KEY in r.path or KEY in json.dumps(r.headers) for r in run.requests)
    assert CONTACT not in repr(run.settings) and KEY not in repr(run.settings)


# Untrusted names --------------------------------------------------------------------------


def test_report_folder_from_a_hostile_area_name_stays_inside(run: Run) -> None:
    folder = run.report.directory.resolve()
    assert folder.parent.parent == run.outputs.resolve()
    assert re.fullmatch(r"[a-z0-9-]+", folder.name), folder.name
    assert "script" in folder.name  # it was built from the planted name
    outside = list(run.outputs.parent.rglob("evil*"))
    assert outside == []


def test_text_from_downloaded_files_is_escaped_in_html(run: Run) -> None:
    page = run.report.html.read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in page
    assert "<img src=x" not in page  # (the attribute text may remain, inside escaped text)
    assert html.escape("<script>alert(1)</script>", quote=False) in page  # shown, as text
    assert "&lt;img src=x onerror=" in page
    table = pd.read_csv(run.report.tables["pay_bands"])
    assert TITLE in set(table.astype(str).stack())  # the CSV keeps BLS's text unchanged


@pytest.mark.parametrize(
    "parts",
    [("..", "x"), ("/etc", "passwd"), ("a", "../../b"), ("a", "..")],
)
def test_path_builder_refuses_to_leave_outputs(tmp_path: Path, parts: tuple[str, str]) -> None:
    with pytest.raises(MarketdataError, match="leave the output folder"):
        folders.inside(tmp_path / "outputs", *parts)


# Untrusted archives -----------------------------------------------------------------------


def _rezip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, body in members.items():
            zf.writestr(name, body)
    return out.getvalue()


NATIONAL_2021 = zipfile.ZipFile(DATA / "oews_archive" / "oesm21nat.zip").read(
    "national_M2021_dl.xlsx"
)


@pytest.mark.parametrize(
    "where",
    ["../national_M2021_dl.xlsx", "/tmp/national_M2021_dl.xlsx", "a/../../national_M2021_dl.xlsx"],
)
def test_archive_members_are_read_by_name_never_extracted(
    bls_server: BLSServer, online_settings: Settings, tmp_path: Path, where: str
) -> None:
    evil = tmp_path / "evil.txt"
    hostile = _rezip(
        {
            "../../evil.txt": b"written outside?",
            f"{tmp_path}/evil.txt": b"written at an absolute path?",
            "/tmp/marketdata-evil.txt": b"absolute",
            where: NATIONAL_2021,
        }
    )
    bls_server.add("/oes/special-requests/oesm21nat.zip", hostile)
    before = set(tmp_path.parent.rglob("*"))
    df = oews_history.load_release("May 2021", settings=online_settings)
    clean = oa.read_archive(DATA / "oews_archive" / "oesm21nat.zip", release=oa.release_for(2021))
    pd.testing.assert_frame_equal(df, clean)  # the expected member was read, once
    created = set(tmp_path.parent.rglob("*")) - before
    assert all(p.is_relative_to(online_settings.cache_dir) for p in created), created
    assert not evil.exists() and not Path("/tmp/marketdata-evil.txt").exists()


def test_an_archive_member_declaring_more_than_a_gibibyte_is_refused(tmp_path: Path) -> None:
    """The member's size as the zip's central directory declares it (here 2 GiB) is checked
    before a byte of it is decompressed."""
    data = bytearray(_rezip({"national_M2021_dl.xlsx": NATIONAL_2021}))
    central = data.rindex(b"PK\x01\x02")  # its entry in the central directory, at the end
    data[central + 24 : central + 28] = (2**31).to_bytes(4, "little")  # uncompressed size
    path = tmp_path / "oesm21nat.zip"
    path.write_bytes(bytes(data))
    with pytest.raises(SourceFormatError, match=r"member is 2,147,483,648 bytes; refusing"):
        oa.read_archive(path, release=oa.release_for(2021))


def test_archive_without_the_expected_member_is_refused(
    bls_server: BLSServer, online_settings: Settings
) -> None:
    hostile = _rezip({"../evil.xlsx": NATIONAL_2021, "readme.txt": b"hello"})
    bls_server.add("/oes/special-requests/oesm21nat.zip", hostile)
    with pytest.raises(SourceFormatError, match=r"oesm21nat\.zip.*no national estimates"):
        oews_history.load_release("May 2021", settings=online_settings)
    assert cache.lookup("oews-archive/oesm21nat.zip", settings=online_settings) is None


def test_projections_archive_member_with_traversal_is_read_in_memory(tmp_path: Path) -> None:
    workbook = (DATA / "ep" / "occupation_2021-31.xlsx").read_bytes()
    path = tmp_path / "2021-31.zip"
    path.write_bytes(_rezip({"../../occupation.xlsx": workbook, "/abs/notes.txt": b"x"}))
    before = set(tmp_path.parent.rglob("*"))
    assert ep.read_archive(path) == workbook
    ep.check_archive(path)
    assert set(tmp_path.parent.rglob("*")) == before
    assert not Path("/abs/notes.txt").exists()


def test_the_package_never_extracts_archives() -> None:
    """Zips are read member by member in memory: no extract()/extractall() anywhere."""
    uses = [
        f"{path.relative_to(PACKAGE)}:{n}"
        for path in PACKAGE.rglob("*.py")
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if re.search(r"(?<!process)(?<!str)\.extract(all)?\(|unpack_archive", line)
    ]
    assert uses == []


def test_fetch_errors_do_not_leak_the_contact(bls_server: BLSServer, online_settings: Settings):
    bls_server.add_handler("/gone", lambda r: Answer(403, {}, b"denied"))
    with pytest.raises(ContactRequired) as err:
        cache.fetch(bls_server.url + "/gone", key="x/gone", settings=online_settings)
    assert online_settings.contact not in str(err.value)
    assert isinstance(err.value, FetchError) and err.value.status == 403
