"""Regenerate docs/selfcheck.png and docs/selfcheck-phone.png: the self-check page on a desktop and
on a 360 px phone, after an example answer file was checked, one answer changed and checked again.

    .venv/bin/python docs/make_screenshot.py      (needs Debian's chromium)
"""
from __future__ import annotations

import shutil
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

from grader.rubric.answer_key import build_answer_key
from grader.rubric.model import load_rubric
from grader.web.app import ServeSettings, create_app
from grader.web.server import ServerSettings, make_server

ROOT = Path(__file__).resolve().parent.parent
PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
VIEWS = {  # file → (browser page options, what to scroll to the top)
    "selfcheck.png": ({"viewport": {"width": 1000, "height": 1100}}, "#result"),
    "selfcheck-phone.png": (PHONE, "[data-path='q1.standard.weights']"),
}


def main() -> None:
    key = build_answer_key(load_rubric(ROOT / "rubrics" / "sml-hw4.yaml"))
    with tempfile.TemporaryDirectory() as scratch:
        settings = ServeSettings({"sml-hw4": key}, Path(scratch) / "log.jsonl")
        server = make_server(create_app(settings), ServerSettings(port=0, threads=2), settings.max_request_bytes)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        base = f"http://127.0.0.1:{server.effective_port}"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox", "--disable-gpu"])
            for name, (options, top) in VIEWS.items():
                page = browser.new_page(**options)
                page.goto(f"{base}/check/sml-hw4?student=s1007")
                page.set_input_files("#file", str(ROOT / "submissions" / "katherine-johnson.yaml"))
                page.click("button[type=submit]")
                page.wait_for_selector("#score")
                page.fill("[id='q1.standard.weights']", "7,240")  # the answers stayed: change one, check again
                page.click("button[type=submit]")
                page.wait_for_selector("#score")
                page.locator(top).evaluate("element => element.scrollIntoView()")
                page.evaluate("window.scrollBy(0, -16)")
                page.screenshot(path=str(ROOT / "docs" / name))
                page.close()
            browser.close()
        server.stop()
        thread.join(timeout=5)


if __name__ == "__main__":
    main()
