"""Render a docxtpl template safely: sandboxed Jinja, autoescape on, atomic write.

docxtpl's default environment neither escapes `& < >` (docxtpl #557, #634) nor sandboxes
templates (#632): answers typed by partners must come out literally and only our own curated
gabarits are ever used as templates.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import jinja2
from docxtpl import DocxTemplate
from jinja2.sandbox import SandboxedEnvironment

from workflow.errors import GabaritInvalide


def environment() -> SandboxedEnvironment:
    return SandboxedEnvironment(autoescape=True, undefined=jinja2.StrictUndefined)


def render_docx(template: Path, context: dict[str, Any], output: Path) -> Path:
    """Render `template` with `context` into `output` (written whole or not at all)."""
    document = DocxTemplate(str(template))
    try:
        document.render(context, jinja_env=environment(), autoescape=True)
    except jinja2.TemplateSyntaxError as e:
        raise GabaritInvalide(template, f"balise Jinja incorrecte ligne {e.lineno} : {e.message}") from e
    except jinja2.UndefinedError as e:
        raise GabaritInvalide(template, f"variable inconnue du gabarit ({e.message})") from e
    except jinja2.TemplateError as e:
        raise GabaritInvalide(template, str(e)) from e
    output.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".", suffix=".docx.tmp", dir=output.parent)
    os.close(fd)
    try:
        document.save(tmp)
        os.replace(tmp, output)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return output
