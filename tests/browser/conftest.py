"""Browser tests: Playwright driving Debian's chromium against a live server with the demo world loaded."""

from __future__ import annotations

import os

import pytest

CHROMIUM = "/usr/bin/chromium"
# Playwright's sync API runs an event loop in this thread; the ORM calls made by fixtures are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-sync",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def demo_world(request, live_server, transactional_db):
    """The world `make demo` serves, built through the same builders, in the live server's database.

    Live-server tests commit, so the database is flushed after each: roles come back with the flush's
    post-migrate step, the reference data loaded by data migrations is reloaded here. The flush deletes
    row by row on SQLite, which the audit guard refuses, so the audit tables are emptied first (also
    when the test fails)."""
    from cnan.core import demo
    from cnan.core.context import action_context
    from cnan.core.testing import purge_audit_tables

    request.addfinalizer(purge_audit_tables)  # noqa: PT021 - must run even if building the world fails
    _reload_reference_data()
    world = demo.DemoWorld(log=lambda line: None)
    with action_context(source="command"):
        for builder in demo.builders():
            builder.build(world)
    return world


def _reload_reference_data() -> None:
    import importlib

    from django.apps import apps

    importlib.import_module("cnan.organizations.migrations.0002_product_groups").load(apps, None)
    importlib.import_module("cnan.planning.migrations.0002_indicators").load(apps, None)


@pytest.fixture
def page(browser, live_server, demo_world):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    yield page
    context.close()
