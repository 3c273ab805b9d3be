"""The screenshot of ``translate serve``'s page in docs/serve.png, taken in headless Chromium.

    python benchmarks/serve_screenshot.py --model runs/quick --out docs/serve.png

Starts ``translate serve`` on a free loopback port, opens its page in Debian's
``chromium`` through ``chromedriver`` and selenium (a fresh profile, no network
but loopback), types the sentence, clicks Translate, waits for the answer and
saves the window as a PNG.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def start_server(model: str, n_best: int) -> tuple[subprocess.Popen, int]:
    """``translate serve --port 0`` in a subprocess, and the port it reports (120 s at most)."""
    argv = [sys.executable, "-m", "translate", "serve", "--model", model, "--port", "0"]
    argv += ["--n-best", str(n_best)]
    process = subprocess.Popen(argv, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if " on http://127.0.0.1:" in line:
            return process, int(line.rsplit(":", 1)[1])
        if not line and process.poll() is not None:
            break
    process.kill()
    raise SystemExit(f"translate serve did not start: {process.stderr.read()}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", required=True, help="run directory or export")
    parser.add_argument("--out", default=os.path.join(ROOT, "docs", "serve.png"))
    parser.add_argument("--sentence", default="Zwei Hunde spielen im Schnee.")
    parser.add_argument("--n-best", type=int, default=3, help="hypotheses shown (default 3)")
    parser.add_argument("--size", default="1000,1000", help="window width,height in pixels")
    args = parser.parse_args()

    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    process, port = start_server(args.model, args.n_best)
    try:
        with tempfile.TemporaryDirectory() as profile:
            options = webdriver.ChromeOptions()
            options.binary_location = "/usr/bin/chromium"
            for flag in FLAGS + [f"--user-data-dir={profile}", f"--window-size={args.size}"]:
                options.add_argument(flag)
            browser = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
            try:
                browser.set_page_load_timeout(60)
                browser.get(f"http://127.0.0.1:{port}/")
                box = browser.find_element(By.ID, "source")
                box.clear()
                box.send_keys(args.sentence)
                browser.find_element(By.ID, "translate").click()
                WebDriverWait(browser, 60).until(
                    lambda b: b.find_element(By.ID, "status").text.endswith(" ms")
                )
                print("translation:", browser.find_element(By.ID, "translation").text)
                browser.save_screenshot(args.out)
            finally:
                browser.quit()
    finally:
        process.terminate()
        process.wait(timeout=60)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
