"""Pages light enough for a village phone (issue 14): one stylesheet holding only the
Bootstrap rules the portal uses, kept up to date with the templates; scripts that never
block rendering; a description for search engines; an icon; compressed responses."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SKIP = {".venv", "node_modules", "var", ".git", "tools"}


def selector_classes(css: str) -> set[str]:
    """The class names the selectors of a stylesheet name (not the declarations)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    preludes = re.findall(r"([^{};]+)\{", css)
    return {name for p in preludes for name in re.findall(r"\.(-?[_a-zA-Z][\w-]*)", p)}


def template_classes() -> dict[str, set[str]]:
    """Each class a template writes in a class attribute, with the templates that do
    (template tags and variables taken out: `{% if x %} active{% endif %}` → active)."""
    found: dict[str, set[str]] = {}
    for path in ROOT.rglob("templates/**/*.html"):
        if SKIP & set(path.relative_to(ROOT).parts):
            continue
        for value in re.findall(r"""class=(?:"([^"]*)"|'([^']*)')""", path.read_text()):
            text = re.sub(r"\{%.*?%\}|\{\{.*?\}\}", " ", value[0] or value[1])
            for name in text.split():
                if re.fullmatch(r"-?[_a-zA-Z][\w-]*", name):
                    found.setdefault(name, set()).add(str(path.relative_to(ROOT)))
    return found


def test_every_bootstrap_class_a_template_uses_is_in_the_built_stylesheet():
    """A template given a Bootstrap class the portal did not use before needs
    bin/build_css.sh run again (and static/css/site.css committed)."""
    bootstrap = selector_classes(
        (ROOT / "static/vendor/bootstrap/bootstrap.min.css").read_text(encoding="utf-8")
    )
    built = selector_classes((ROOT / "static/css/site.css").read_text(encoding="utf-8"))
    missing = {
        name: sorted(paths)[:3]
        for name, paths in template_classes().items()
        if name in bootstrap and name not in built
    }
    assert not missing, f"Run bin/build_css.sh: site.css lacks {missing}"


def test_the_built_stylesheet_ends_with_portal_css_as_it_is():
    built = (ROOT / "static/css/site.css").read_text(encoding="utf-8")
    portal = (ROOT / "static/css/portal.css").read_text(encoding="utf-8")
    assert built.endswith(portal), "Run bin/build_css.sh: portal.css changed since"
    assert "Bootstrap" in built.split("*/")[1]  # its copyright notice is kept


@pytest.mark.django_db
def test_a_citizen_page_loads_one_stylesheet_deferred_scripts_and_says_what_it_is(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    head = html.split("</head>")[0]
    assert re.findall(r'<link rel="stylesheet" href="([^"]+)"', head) == ["/static/css/site.css"]
    scripts = re.findall(r"<script\b[^>]*\bsrc=[^>]*>", html)
    assert scripts
    assert all(" defer " in tag or " defer>" in tag or "defer src" in tag for tag in scripts)
    assert re.search(r'<meta name="description" content="[^"]{50,}">', head)
    assert re.search(r'<link rel="icon" href="/static/favicon.svg"', head)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/gui-don/", "/tra-cuu/"])
def test_the_submit_and_track_pages_have_their_own_description(client, path):
    home = re.search(r'name="description" content="([^"]+)"', client.get("/").content.decode())
    page = re.search(r'name="description" content="([^"]+)"', client.get(path).content.decode())
    assert home and page
    assert page.group(1) != home.group(1)


def test_the_icon_and_robots_txt_are_served_at_the_root(client):
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200
    assert b"".join(icon.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file
    robots = client.get("/robots.txt")
    assert robots.status_code == 200
    assert b"Disallow: /staff/" in b"".join(robots.streaming_content)


@pytest.mark.django_db
def test_pages_are_compressed_for_a_browser_that_accepts_it(client):
    response = client.get("/tra-cuu/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response["Content-Encoding"] == "gzip"
    assert b"<html" in gzip.decompress(response.content)
