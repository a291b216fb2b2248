"""Render a docxtpl template safely: sandboxed Jinja, autoescape on, atomic write.

docxtpl's default environment neither escapes `& < >` (docxtpl #557, #634) nor sandboxes
templates (#632): answers typed by partners must come out literally and only our own curated
gabarits are ever used as templates.
"""

from __future__ import annotations

import functools
import os
import re
import tempfile
from collections.abc import Callable, MutableMapping
from pathlib import Path
from types import CodeType
from typing import Any, BinaryIO
from xml.sax.saxutils import quoteattr

import jinja2
from docx.document import Document
from docx.shared import Length
from docxtpl import DocxTemplate, InlineImage
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from workflow.errors import GabaritInvalide
from workflow.render import couverture
from workflow.render.mise_en_page import finir


class _Sandbox(SandboxedEnvironment):
    """The sandbox, compiling each part of a gabarit once per process: a batch renders the same
    gabarit many times (the charters, the campaign's forms, the web console), and compiling the
    template is most of docxtpl's work."""

    def from_string(
        self,
        source: str | jinja2.nodes.Template,
        globals: MutableMapping[str, Any] | None = None,
        template_class: type[jinja2.Template] | None = None,
    ) -> jinja2.Template:
        if not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        return (template_class or self.template_class).from_code(
            self, _compiled(source), self.make_globals(globals), None
        )


@functools.lru_cache(maxsize=32)
def _compiled(source: str) -> CodeType:
    """The Python code of a template source; every environment() compiles alike."""
    return environment().compile(source)


def environment() -> SandboxedEnvironment:
    return _Sandbox(autoescape=True, undefined=jinja2.StrictUndefined)


class Image(InlineImage):
    """An inline picture with its alt text: docxtpl's InlineImage leaves `descr` empty."""

    def __init__(self, tpl: DocxTemplate, path: Path | BinaryIO, description: str, width: Length) -> None:
        super().__init__(tpl, str(path) if isinstance(path, Path) else path, width=width)
        self.description = description

    def _insert_image(self) -> str:
        xml = super()._insert_image()
        return re.sub(r"<wp:docPr ", f"<wp:docPr descr={quoteattr(self.description)} ", xml, count=1)


Context = dict[str, Any] | Callable[[DocxTemplate], dict[str, Any]]


def render_docx(
    template: Path,
    context: Context,
    output: Path,
    finish: Callable[[Document], None] | None = None,
    titre: str = "",
) -> Path:
    """Render `template` with `context` into `output` (written whole or not at all). A context
    that holds pictures is given as a function of the template they belong to; `finish` may
    adjust the rendered document before it is written. A `{{ logo }}` in the gabarit receives the
    logo found beside it (`couverture`). Every document then gets French
    typography, language fr-FR, core properties (`titre`, else its first title) and table layout."""
    document = DocxTemplate(str(template))
    if callable(context):
        context = context(document)
    document.init_docx()
    if "logo" not in context and "logo" in document.get_xml():  # the cover's logo slot
        picture, description = couverture.logo(template.parent)
        context = {**context, "logo": Image(document, picture, description, couverture.LARGEUR)}
    try:
        document.render(context, jinja_env=environment(), autoescape=True)
    except jinja2.TemplateSyntaxError as e:
        raise GabaritInvalide(template, f"balise Jinja incorrecte ligne {e.lineno} : {e.message}") from e
    except jinja2.UndefinedError as e:
        raise GabaritInvalide(template, f"variable inconnue du gabarit ({e.message})") from e
    except SecurityError as e:
        raise GabaritInvalide(
            template, "le gabarit tente d'accéder à l'intérieur des objets Python, ce que la mise en forme refuse"
        ) from e
    except jinja2.TemplateError as e:
        raise GabaritInvalide(template, str(e)) from e
    if finish:
        finish(document.docx)
    finir(document.docx, titre)
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
