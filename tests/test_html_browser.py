"""The seed brief's HTML in a real browser: headless Chromium lays it out at desktop and phone
widths and prints it, so a page that only looks right as text (broken CSS, a layout that
collapses, a print stylesheet that errors) fails here.

Skipped when ``/usr/bin/chromium`` is absent, unless ``BRIEFING_REQUIRE_BROWSER=1`` (CI sets
it), where a missing browser is a failure. Screenshots land in ``tests/_artifacts/`` (gitignored)
for a person to look at.
"""

from __future__ import annotations

import os
import struct
import subprocess
from pathlib import Path

import pytest
from test_render import seed_brief

from briefing.render import render

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent / "_artifacts"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
]
# A blank 1280x2000 page compresses to about 11 kB; the brief's first screen is well over 100 kB.
SIZES = {"desktop": ((1280, 2000), 60_000), "phone": ((390, 1600), 30_000)}
TIMEOUT = 120


@pytest.fixture(scope="module")
def chromium() -> Path:
    if CHROMIUM.is_file():
        return CHROMIUM
    if os.environ.get("BRIEFING_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{CHROMIUM} not found and BRIEFING_REQUIRE_BROWSER=1")
    pytest.skip(f"{CHROMIUM} not found (apt-get install chromium); set BRIEFING_REQUIRE_BROWSER=1 "
                "to make this a failure")


@pytest.fixture(scope="module")
def page() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / "brief.html"
    path.write_text(render(seed_brief(), "html"), encoding="utf-8")
    return path


def run_chromium(chromium: Path, tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """One headless run with its own profile; a crash or a hang is a test failure."""
    cmd = [str(chromium), *FLAGS, f"--user-data-dir={tmp / 'profile'}", *args]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    assert done.returncode == 0, f"chromium exited {done.returncode}:\n{done.stderr[-2000:]}"
    return done


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from the PNG header, without an imaging library."""
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR", f"{path} is not a PNG"
    width, height = struct.unpack(">II", head[16:24])
    return width, height


@pytest.mark.parametrize("name", list(SIZES))
def test_screenshot(chromium: Path, page: Path, tmp_path: Path, name: str) -> None:
    (width, height), min_bytes = SIZES[name]
    shot = ARTIFACTS / f"brief-{name}.png"
    shot.unlink(missing_ok=True)
    run_chromium(chromium, tmp_path, f"--screenshot={shot}", f"--window-size={width},{height}",
                 page.as_uri())
    assert shot.is_file(), f"no screenshot written for {name}"
    assert png_size(shot) == (width, height)
    assert shot.stat().st_size > min_bytes, f"{shot} looks blank ({shot.stat().st_size} bytes)"


def test_dom_and_print(chromium: Path, page: Path, tmp_path: Path) -> None:
    """The browser parses the page as intended (sections present, no script), and the print
    stylesheet produces a PDF."""
    dom = run_chromium(chromium, tmp_path, "--dump-dom", page.as_uri()).stdout
    for section in ("key", "meetings", "positions", "quotes", "divergences", "sources",
                    "failures", "notes"):
        assert f'<section id="{section}"' in dom or f'id="{section}"' in dom, section
    assert "<script" not in dom
    pdf = ARTIFACTS / "brief.pdf"
    pdf.unlink(missing_ok=True)
    run_chromium(chromium, tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer",
                 page.as_uri())
    assert pdf.is_file() and pdf.read_bytes()[:5] == b"%PDF-"
    assert pdf.stat().st_size > 20_000
