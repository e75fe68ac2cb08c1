"""The one Jinja environment every writer renders through."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import PipelineError

if TYPE_CHECKING:
    import jinja2

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "templates"

# Escape everything that becomes markup, whatever the template is called (Jinja's
# select_autoescape would miss .j2, .xhtml and .opf names); only stylesheets are plain text.
_PLAIN_TEXT_SUFFIXES = (".css", ".txt")

@cache
def environment(template_dir: Path = TEMPLATE_DIR) -> jinja2.Environment:
    import jinja2  # here, not at the top: a build with nothing to do never renders a template

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(template_dir),
        autoescape=lambda name: not (name or "").endswith(_PLAIN_TEXT_SUFFIXES),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env


def render(name: str, **context: object) -> str:
    import jinja2

    template_dir = TEMPLATE_DIR  # read at each call, so that a test can point it elsewhere
    try:
        return environment(template_dir).get_template(name).render(**context)
    except jinja2.TemplateNotFound as exc:
        where, line = _template_frame(exc, template_dir)
        if where is None:
            raise PipelineError(f"the template '{exc.name}' is missing", template_dir / str(exc.name), hint="Restore it from git: git checkout -- templates/") from None
        raise PipelineError(f"this template includes '{exc.name}', which is missing", where, line, f"Looked in {template_dir}.") from None
    except jinja2.TemplateSyntaxError as exc:
        raise PipelineError(
            f"template error: {exc.message}",
            exc.filename or template_dir / name,
            exc.lineno,
            "Fix the Jinja tags ({{ … }}, {% … %}) on or before that line; 'git diff templates/' shows what changed.",
        ) from None
    except jinja2.UndefinedError as exc:
        where, line = _template_frame(exc, template_dir)
        raise PipelineError(
            f"the template uses something that does not exist: {exc.message}", where or template_dir / name, line
        ) from None


def _template_frame(exc: BaseException, template_dir: Path) -> tuple[Path | None, int | None]:
    """The template file and line the error happened in: Jinja rewrites tracebacks so that each
    template's frame carries its file name and template line."""
    found: tuple[Path | None, int | None] = (None, None)
    traceback = exc.__traceback__
    while traceback is not None:
        file = Path(traceback.tb_frame.f_code.co_filename)
        if file.suffix != ".py" and file.is_relative_to(template_dir):
            found = (file, traceback.tb_lineno)
        traceback = traceback.tb_next
    return found
