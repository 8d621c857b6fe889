"""Rendering a notice from a caller's templates, in the recipient's language.

A caller's template `name` is three files found through the template loaders, so they
live in the caller's app: `<app>/templates/emails/<name>.subject.txt`, `<name>.txt` and
(optional) `<name>.html`. They extend `emails/base.txt` / `emails/base.html`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template import Context, Engine, TemplateDoesNotExist
from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import gettext

SUBJECT_MAX_LENGTH = 255
_BLANK_RUNS = re.compile(r"\n[ \t]*(\n[ \t]*){2,}")


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def absolute_url(url: str) -> str:
    """A link that works from a mail client: site-relative paths get SITE_URL in front."""
    if not url or url.startswith(("http://", "https://")):
        return url
    if url.startswith("/"):
        return settings.SITE_URL + url
    return ""


def _render(engine: Engine, name: str, context: dict[str, Any], *, autoescape: bool) -> str:
    # A plain Context (no request, no context processors): a notice may be rendered in
    # a worker, and text parts must not be HTML-escaped.
    return engine.get_template(name).render(Context(context, autoescape=autoescape))


def render_notice(
    *, template: str, context: dict[str, Any], language: str, url: str = ""
) -> Rendered:
    """Subject, text and HTML of `emails/<template>.*`, rendered in `language`."""
    engine = Engine.get_default()
    with translation.override(language):
        full_context = {
            "portal_name": gettext("Petitions and voter recommendations portal"),
            "site_url": settings.SITE_URL,
            "action_url": absolute_url(url),
            "language": language,
            **context,
        }
        subject = _render(engine, f"emails/{template}.subject.txt", full_context, autoescape=False)
        text = _render(engine, f"emails/{template}.txt", full_context, autoescape=False)
        try:
            html = _render(engine, f"emails/{template}.html", full_context, autoescape=True)
        except TemplateDoesNotExist:
            html = ""
    # A subject is one header line; template whitespace must not break it.
    subject = Truncator(" ".join(subject.split())).chars(SUBJECT_MAX_LENGTH)
    text = _BLANK_RUNS.sub("\n\n", text).strip() + "\n"
    return Rendered(subject=subject, text=text, html=html.strip())


def render_subject(*, template: str, context: dict[str, Any]) -> str:
    """The subject of `emails/<template>` in the active language (the bell's list)."""
    engine = Engine.get_default()
    full_context = {
        "portal_name": gettext("Petitions and voter recommendations portal"),
        "site_url": settings.SITE_URL,
        **context,
    }
    subject = _render(engine, f"emails/{template}.subject.txt", full_context, autoescape=False)
    return Truncator(" ".join(subject.split())).chars(SUBJECT_MAX_LENGTH)
