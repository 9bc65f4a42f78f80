import os

import pytest

from skpoison.report._cli import main
from skpoison.report._format import slug

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


LAYOUT = """() => {
  const over = [...document.querySelectorAll('body *')].filter(e =>
    e.getBoundingClientRect().right > innerWidth + 1 && !e.closest('.scroll'));
  const box = document.querySelector('#summary .summary').getBoundingClientRect();
  return {scrollWidth: document.documentElement.scrollWidth,
          over: over.map(e => e.tagName), summaryBottom: box.bottom};
}"""


@pytest.mark.parametrize(
    "text, expected",
    [
        ("bridge", "bridge"),
        ("kmeans-Label Flip", "kmeans-label-flip"),
        ("../../etc/passwd", "etc-passwd"),
        ("/abs/path", "abs-path"),
        ("<script>", "script"),
        ("..", "x"),
        ("é", "x"),
    ],
)
def test_slug_is_a_safe_file_name(text, expected):
    assert slug(text) == expected
    assert set(slug(text)) <= set("abcdefghijklmnopqrstuvwxyz0123456789-")


@pytest.mark.browser
def test_report_renders_in_chromium(tmp_path):
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    out = tmp_path / "report"
    argv = [
        "report",
        "--quick",
        "--repeats",
        "1",
        "--attacks",
        "bridge,mimicry,label-flip",
        "--no-progress",
        "--output",
        str(out),
    ]
    assert main(argv) == 0

    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            errors = []
            page.on(
                "console",
                lambda msg: errors.append(msg.text) if msg.type == "error" else None,
            )
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto((out / "index.html").as_uri())
            page.wait_for_load_state("load")
            widths = page.eval_on_selector_all(
                "img", "imgs => imgs.map(i => [i.getAttribute('src'), i.naturalWidth])"
            )
            headings = page.eval_on_selector_all(
                "h2", "hs => hs.map(h => h.textContent)"
            )
            layout = {}
            for width, height in ((1400, 900), (390, 844)):
                page.set_viewport_size({"width": width, "height": height})
                layout[width] = page.evaluate(LAYOUT)
        finally:
            browser.close()
    assert errors == []
    # curves + picture for 2 injection attacks and 1 label attack, + survival
    assert len(widths) == 7
    for src, width in widths:
        assert width > 0, f"{src} did not load"
    assert "Summary" in headings and "False confidence" in headings
    for width, info in layout.items():
        # nothing wider than the screen, except inside a scrolling table box
        assert info["scrollWidth"] <= width, (width, info)
        assert info["over"] == [], (width, info)
    # the summary (baseline, worst case, findings) fits the first desktop screen
    assert layout[1400]["summaryBottom"] <= 900
