"""Home page of every demo role, on a desktop and on a phone, for the documentation.

Run against a server that holds the demo data (`manage.py demo_data`):

    .venv/bin/python docs/screenshots/make_screenshots.py http://127.0.0.1:8000

Writes docs/screenshots/<role>-desktop.png (1366x900) and <role>-phone.png (390x844), both of the whole
page, and prints each page's height so that "fits in about two phone screens" can be checked.
Needs Playwright's Python package and a Chromium (CHROMIUM=/path/to/chromium if it is not on the PATH).
"""

import argparse
import io
import os
import shutil
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
PASSWORD = "Anjian@2026"  # every demo account's password (README)
# role -> demo account
ACCOUNTS = {
    "grid": "wangge",
    "inspector": "yingji",
    "enterprise": "qiye_a",
    "town": "qingshi",
    "office": "anweiban",
    "leader": "leader",
    "sys_admin": "sysadmin",
    "sec_admin": "secadmin",
    "audit_admin": "auditor",
}
VIEWPORTS = {"desktop": (1366, 900), "phone": (390, 844)}
MAX_BYTES = 400_000


def shrink(png: bytes) -> bytes:
    """A palette PNG is a third of the size and looks the same for a page of flat colours."""
    try:
        from PIL import Image
    except ImportError:
        return png
    image = Image.open(io.BytesIO(png)).convert("RGB")
    for colours in (256, 128, 64):
        out = io.BytesIO()
        image.quantize(colours, method=Image.Quantize.MEDIANCUT).save(out, "PNG", optimize=True)
        if out.tell() <= MAX_BYTES:
            break
    return out.getvalue()


def browser_path() -> str | None:
    return os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def capture(base_url: str, out_dir: Path, roles: list[str]) -> list[tuple[str, str, int, int]]:
    results = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=browser_path())
        for role in roles:
            for name, (width, height) in VIEWPORTS.items():
                context = browser.new_context(
                    viewport={"width": width, "height": height},
                    device_scale_factor=1,
                    is_mobile=name == "phone",
                    has_touch=name == "phone",
                    locale="zh-CN",
                )
                page = context.new_page()
                page.goto(f"{base_url}/login/")
                page.fill("#id_username", ACCOUNTS[role])
                page.fill("#id_password", PASSWORD)
                page.click("form [type=submit]")
                page.wait_for_load_state("networkidle")
                page_height = page.evaluate("document.documentElement.scrollHeight")
                path = out_dir / f"{role}-{name}.png"
                path.write_bytes(shrink(page.screenshot(full_page=True)))
                results.append((role, name, page_height, path.stat().st_size))
                context.close()
        browser.close()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="address of the demo server, e.g. http://127.0.0.1:8000")
    parser.add_argument("--out", type=Path, default=HERE, help="directory for the PNGs")
    parser.add_argument("--role", action="append", choices=sorted(ACCOUNTS), help="only these roles")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    results = capture(args.url.rstrip("/"), args.out, args.role or list(ACCOUNTS))
    for role, name, page_height, size in results:
        screens = page_height / VIEWPORTS[name][1]
        print(f"{role:12} {name:8} page height {page_height:5} px ({screens:.1f} screens), {size // 1000} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
