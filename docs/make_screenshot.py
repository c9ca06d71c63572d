"""Regenerate docs/selfcheck.png: the self-check result page for one example submission.

    .venv/bin/python docs/make_screenshot.py      (needs Debian's chromium)
"""
from __future__ import annotations

import shutil
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright
from waitress.server import create_server

from grader.rubric.answer_key import build_answer_key
from grader.rubric.model import load_rubric
from grader.web.app import ServeSettings, create_app

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    key = build_answer_key(load_rubric(ROOT / "rubrics" / "sml-hw4.yaml"))
    with tempfile.TemporaryDirectory() as scratch:
        app = create_app(ServeSettings({"sml-hw4": key}, Path(scratch) / "log.jsonl"))
        server = create_server(app, host="127.0.0.1", port=0, threads=2)
        threading.Thread(target=server.run, daemon=True).start()
        base = f"http://127.0.0.1:{server.effective_port}"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1000, "height": 1300})
            page.goto(f"{base}/check/sml-hw4?student=s1007")
            page.set_input_files("#file", str(ROOT / "submissions" / "katherine-johnson.yaml"))
            page.click("button[type=submit]")
            page.wait_for_selector("#score")
            page.evaluate("document.querySelector('h2:nth-of-type(3)').scrollIntoView()")
            page.screenshot(path=str(ROOT / "docs" / "selfcheck.png"))
            browser.close()
        server.close()


if __name__ == "__main__":
    main()
