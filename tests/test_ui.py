"""The real thing: `ittisal ui` (Dagster's webserver and daemon) on 127.0.0.1 in a temporary
DAGSTER_HOME. Over GraphQL: every asset loads, the sensor and schedule are there, a launched
run succeeds and fills the warehouse, the chart is attached, and a second run with nothing new
keeps it. In headless Chromium: the asset graph shows every layer; after the run with nothing
new, `calls_by_country_by_day`'s page still shows its columns, preview and chart, and a
document layer's page shows its preview. Screenshots of each are saved."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines.cli import main
from tests.conftest import REPO

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# where the browser test leaves its screenshot for people to look at (not committed)
SCREENSHOTS = Path(os.environ.get("ITTISAL_SCREENSHOTS", REPO / "build" / "screenshots"))
LAYERS = ("raw", "core", "models", "warehouse")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _graphql(port: int, query: str, variables: dict | None = None) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql",
        data=json.dumps({"query": query, "variables": variables or {}}).encode(),
        headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        data = json.loads(response.read())
    assert not data.get("errors"), data["errors"]
    return data["data"]


def _wait(what: str, seconds: float, probe) -> object:
    deadline = time.monotonic() + seconds
    while True:
        try:
            if result := probe():
                return result
        except OSError:
            pass
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(1)


@pytest.fixture
def ui(home) -> Iterator[int]:
    """`ittisal ui` on a free port; yields the port once the code location has loaded."""
    port = _free_port()
    env = {**os.environ, "ITTISAL_HOME": str(home), "DAGSTER_HOME": str(home / "dagster")}
    server = subprocess.Popen([sys.executable, "-m", "pipelines.cli", "ui", "--port", str(port)],
                              cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        _wait("the code location", 120,
              lambda: _graphql(port, "{ assetNodes { id } }")["assetNodes"])
        yield port
    finally:
        os.killpg(server.pid, signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


LAUNCH = """
mutation($params: ExecutionParams!) {
  launchRun(executionParams: $params) {
    __typename
    ... on LaunchRunSuccess { run { runId } }
    ... on PythonError { message }
    ... on InvalidSubsetError { message }
  }
}"""

LATEST = """
query($path: [String!]!) { assetNodeOrError(assetKey: {path: $path}) {
    ... on AssetNode { assetMaterializations(limit: 1) {
      metadataEntries { label ... on MarkdownMetadataEntry { mdStr }
                              ... on TextMetadataEntry { text } } } } } }"""


def _latest_metadata(port: int, asset: str) -> dict[str, str | None]:
    node = _graphql(port, LATEST, {"path": [asset]})["assetNodeOrError"]
    [materialization] = node["assetMaterializations"]
    return {e["label"]: e.get("mdStr", e.get("text")) for e in materialization["metadataEntries"]}


def _run_job(port: int, repository: dict, home: Path) -> str:
    """Launch `process_landing` over every partition through the webserver; the daemon runs
    it. Its final status."""
    from assets.partitions import every_partition

    with dg.DagsterInstance.get() as instance:
        tags = every_partition(instance, home / "landing")
    launched = _graphql(port, LAUNCH, {"params": {
        "selector": {"repositoryLocationName": repository["location"]["name"],
                     "repositoryName": repository["name"], "jobName": "process_landing"},
        "runConfigData": {},
        "executionMetadata": {"tags": [{"key": k, "value": v} for k, v in tags.items()]}}}
    )["launchRun"]
    assert launched["__typename"] == "LaunchRunSuccess", launched
    run_id = launched["run"]["runId"]
    return _wait("the run to finish", 240, lambda: (
        s if (s := _graphql(port, f'{{ runOrError(runId: "{run_id}") {{ ... on Run {{ status }} }}'
                                   f' }}')["runOrError"]["status"]) in
        ("SUCCESS", "FAILURE", "CANCELED") else None))


def test_ui_loads_every_asset_runs_the_pipeline_and_shows_the_asset_graph(home, ui):
    from pipelines.definitions import defs

    port = ui
    served = {"/".join(n["assetKey"]["path"]) for n in
              _graphql(port, "{ assetNodes { assetKey { path } } }")["assetNodes"]}
    expected = {k.to_user_string() for k in defs.resolve_asset_graph().get_all_asset_keys()}
    assert served == expected
    repo = _graphql(port, """{ repositoriesOrError { ... on RepositoryConnection {
        nodes { name location { name } schedules { name } sensors { name } } } } }""")
    [repository] = repo["repositoriesOrError"]["nodes"]
    assert [s["name"] for s in repository["schedules"]] == ["daily_refresh"]
    assert [s["name"] for s in repository["sensors"]] == ["landing_sensor"]

    # a run launched through the webserver is picked up by the daemon and succeeds
    assert main(["samples"]) == 0
    assert _run_job(port, repository, home) == "SUCCESS"
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        assert con.execute("select sum(calls) from calls_by_country_by_day").fetchone()[0] == 8
    finally:
        con.close()
    built = _latest_metadata(port, "calls_by_country_by_day")
    assert built["chart"].startswith("![daily calls](data:image/png;base64,")
    assert "skipped" not in built

    # a second run finds nothing new, and reports the same preview and chart
    assert _run_job(port, repository, home) == "SUCCESS"
    unchanged = _latest_metadata(port, "calls_by_country_by_day")
    assert unchanged["skipped"] == "inputs unchanged"
    assert unchanged["preview"] == built["preview"] and unchanged["chart"] == built["chart"]

    if CHROMIUM is None:
        assert not os.environ.get("ITTISAL_REQUIRE_BROWSER"), "CI needs Debian's chromium"
        pytest.skip("no chromium on this machine (`.ci/run` installs Debian's package)")
    _graphql(port, "mutation { setNuxSeen }")  # the community pop-up would cover the pages
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with _browser() as page:
        _screenshot_asset_graph(page, port)
        _check_model_page(page, port)
        _check_document_layer_page(page, port)


@contextmanager
def _browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        try:
            yield browser.new_page(viewport={"width": 1600, "height": 1000})
        finally:
            browser.close()


def _screenshot(page, name: str, scroll_to=None) -> None:
    """The viewport, after scrolling `scroll_to` into it (the UI scrolls inside its own
    panel, so a full-page screenshot would show no more)."""
    if scroll_to is not None:
        scroll_to.scroll_into_view_if_needed()
        page.wait_for_timeout(500)
    shot = SCREENSHOTS / name
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000


def _check_model_page(page, port: int) -> None:
    """After the run with nothing new: columns (with their descriptions), preview, chart."""
    page.goto(f"http://127.0.0.1:{port}/assets/calls_by_country_by_day",
              wait_until="networkidle")
    columns = page.get_by_text("The other countries of those calls, sorted.", exact=True)
    columns.wait_for(timeout=60_000)
    page.get_by_text("inputs unchanged", exact=True).wait_for()  # the no-op materialization
    preview = page.locator("tr", has=page.get_by_text("preview", exact=True))
    for cell in ("[SYR, TUR]", "independent_reports", "2024-12-31"):
        assert preview.get_by_text(cell, exact=True).first.is_visible(), cell
    _screenshot(page, "calls_by_country_by_day_columns.png")
    _screenshot(page, "calls_by_country_by_day_preview.png", scroll_to=preview)
    chart_row = page.locator("tr", has=page.get_by_text("chart", exact=True))
    chart_row.get_by_text("[Show Markdown]").click()
    chart = page.locator("img[src^='data:image/png']")
    chart.wait_for(timeout=10_000)
    width, height = chart.evaluate("img => [img.naturalWidth, img.naturalHeight]")
    assert width == 900 and height > 300
    page.wait_for_timeout(1000)  # the dialog fades in
    _screenshot(page, "calls_by_country_by_day_chart.png")


def _check_document_layer_page(page, port: int) -> None:
    page.goto(f"http://127.0.0.1:{port}/assets/cleaned_articles", wait_until="networkidle")
    preview = page.locator("tr", has=page.get_by_text("preview", exact=True))
    preview.get_by_text("language_probability", exact=True).wait_for(timeout=60_000)
    assert preview.get_by_text("samples/001_42ccee761c1e329b.txt#0", exact=True).is_visible()
    _screenshot(page, "cleaned_articles_preview.png", scroll_to=preview)


def _screenshot_asset_graph(page, port: int) -> None:
    page.goto(f"http://127.0.0.1:{port}/asset-groups", wait_until="networkidle")
    for layer in LAYERS:
        page.get_by_text(layer, exact=True).first.wait_for(timeout=60_000)
    page.wait_for_timeout(2000)  # let the graph finish its layout
    _screenshot(page, "asset_graph.png")
