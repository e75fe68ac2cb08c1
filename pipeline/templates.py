"""The one Jinja environment every writer renders through."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

import jinja2

from .errors import PipelineError

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"

# Escape everything that becomes markup, whatever the template is called (Jinja's
# select_autoescape would miss .j2, .xhtml and .opf names); only stylesheets are plain text.
_PLAIN_TEXT_SUFFIXES = (".css", ".txt")

_MONTHS = ("January February March April May June July August September October November December").split()


def long_date(value: dt.date | None) -> str:
    """'5 March 2026': no numeric day/month order for a reader to misread, and no locale lookup."""
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}" if value else ""


@cache
def environment(template_dir: Path = TEMPLATE_DIR) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(template_dir),
        autoescape=lambda name: not (name or "").endswith(_PLAIN_TEXT_SUFFIXES),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["long_date"] = long_date
    return env


def render(name: str, **context: object) -> str:
    try:
        return environment().get_template(name).render(**context)
    except jinja2.TemplateNotFound as exc:
        raise PipelineError(f"template '{exc.name}' is missing", TEMPLATE_DIR / str(exc.name)) from None
    except jinja2.TemplateSyntaxError as exc:
        raise PipelineError(f"template error: {exc.message}", exc.filename or name, exc.lineno) from None
    except jinja2.UndefinedError as exc:
        raise PipelineError(f"template '{name}' uses something that does not exist: {exc.message}") from None
