"""The HTML review page in a real browser: headless Chromium driven by Playwright.

The page is produced by the real command (``--report-format html``) and opened from
disk.  Chromium is found at ``CLEANNEWS_CHROMIUM`` or on ``PATH`` (Debian's
``chromium``).  Without a browser or Playwright the tests skip — unless
``CLEANNEWS_REQUIRE_BROWSER=1`` (set by ``.ci/run``), which makes them fail instead.
Screenshots go to ``CLEANNEWS_ARTIFACTS`` (default: the test's temporary folder).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from cleannews import clean
from conftest import run_cleannews


def _chromium() -> str:
    required = os.environ.get("CLEANNEWS_REQUIRE_BROWSER") == "1"
    found = (os.environ.get("CLEANNEWS_CHROMIUM") or shutil.which("chromium")
             or shutil.which("chromium-browser"))
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        if required:
            pytest.fail("CLEANNEWS_REQUIRE_BROWSER=1 but the playwright package is not installed")
        pytest.skip("playwright not installed")
    if not found:
        if required:
            pytest.fail("CLEANNEWS_REQUIRE_BROWSER=1 but no chromium executable was found")
        pytest.skip("chromium not installed")
    return found


@pytest.fixture(scope="module")
def browser():
    executable = _chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=executable, headless=True,
                               args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        yield b
        b.close()


def _artifacts(tmp_path: Path) -> Path:
    where = Path(os.environ.get("CLEANNEWS_ARTIFACTS") or tmp_path)
    where.mkdir(parents=True, exist_ok=True)
    return where


def _open(browser, page_path: Path):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(page_path.as_uri())
    page.wait_for_load_state("load")
    return page, errors


def test_seed_review_page_shows_every_edit(browser, seed_path: Path, seed_text: str, tmp_path: Path) -> None:
    report = tmp_path / "seed.html"
    proc = run_cleannews(["clean", str(seed_path), "--report", str(report), "--report-format", "html"])
    assert proc.returncode == 0, proc.stderr.decode()
    result = clean(seed_text)
    page, errors = _open(browser, report)
    edits = page.locator("section.doc.shown pre.orig .e")
    assert edits.count() == len(result.edits)
    assert page.locator("section.doc.shown pre.clean .e").count() == len(result.edits)
    # every edit is on screen somewhere: its highlight has a box (not display:none)
    boxes = page.evaluate("""() => [...document.querySelectorAll('section.doc.shown .e')]
        .filter(e => e.getClientRects().length === 0).length""")
    assert boxes == 0
    # hover text: filter, confidence and a plain reason
    title = edits.first.get_attribute("title") or ""
    assert "confidence" in title and "nats" not in title
    # next / previous edit
    page.click("#next")
    page.click("#next")
    assert page.locator("#where").inner_text() == f"2 / {len(result.edits)}"
    assert page.locator("section.doc.shown .e.current").count() == 2  # original and cleaned side
    page.keyboard.press("p")
    assert page.locator("#where").inner_text().startswith("1 / ")
    # a filter toggled off: its highlights go, and navigation skips its edits
    spam = sum(1 for e in result.edits if e.filter == "spam")
    page.uncheck("input.ftoggle[value=spam]")
    assert page.locator("body.hide-f-spam").count() == 1
    assert page.locator("#where").inner_text() == f"{len(result.edits) - spam} edits"
    bg = page.evaluate("() => getComputedStyle(document.querySelector('section.doc.shown del.f-spam'))"
                       ".backgroundColor")
    assert bg in ("rgba(0, 0, 0, 0)", "transparent")
    page.check("input.ftoggle[value=spam]")
    page.screenshot(path=str(_artifacts(tmp_path) / "review-seed.png"), full_page=False)
    assert errors == []


def test_folder_review_page_moves_between_documents(browser, seed_path: Path, tmp_path: Path) -> None:
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    (src / "a.txt").write_bytes(seed_path.read_bytes())
    (src / "sub" / "b.txt").write_text("內蒙古自治區包養網總工會召開代表大會。\n", encoding="utf-8")
    (src / "c.txt").write_text("乾淨的一句話。\n", encoding="utf-8")
    report = tmp_path / "folder.html"
    proc = run_cleannews(["clean", str(src), "-o", str(tmp_path / "out"), "--report", str(report),
                          "--report-format", "html"])
    assert proc.returncode == 0, proc.stderr.decode()
    page, errors = _open(browser, report)
    assert page.locator("section.doc").count() == 3
    assert page.locator("section.doc.shown").count() == 1
    first = page.locator("section.doc.shown h2").inner_text()
    page.click("#nextdoc")
    second = page.locator("section.doc.shown h2").inner_text()
    assert second != first
    labels = page.eval_on_selector_all("#docsel option", "os => os.map(o => o.textContent)")
    page.select_option("#docsel", str(next(k for k, t in enumerate(labels) if t.endswith("c.txt"))))
    assert "c.txt" in page.locator("section.doc.shown h2").inner_text()
    assert "unchanged" in page.locator("section.doc.shown h2").inner_text()
    page.select_option("#docsel", str(next(k for k, t in enumerate(labels) if t.endswith("b.txt"))))
    assert page.locator("section.doc.shown pre.orig .e").count() == 1
    page.screenshot(path=str(_artifacts(tmp_path) / "review-folder.png"), full_page=False)
    assert errors == []
