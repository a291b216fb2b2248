"""Free layouts a partner may send back instead of our form, built with python-docx.

Each builder writes the same answers in another shape: questions as numbered headings, as bold
"Q1 -" lines, two-column tables, stacked tables, tables nested in a table. Questions are
retyped with other quotes, non-breaking spaces, case and light shortening.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
from docx.document import Document
from docx.shared import Pt

QUESTIONS = {
    "interventions_structurantes": "Parmi les interventions que vous déployez dans les quartiers prioritaires de la "
    "Communauté Urbaine d'Arras, lesquelles sont les plus structurantes ?",
    "quartiers_vises": "Quels quartiers du territoire sont visés par vos engagements ?",
    "agents_gouvernance": 'Quels agents mobiliserez-vous dans les instances de gouvernance de "Cœur de Quartier" '
    "(fonction et nom de l'agent) ?",
    "engagements_2024_2030": 'Quelles interventions, quels engagements prévoyez-vous pour "Cœur de Quartier" sur la '
    "période 2024-2030 (dispositifs maintenus, nouvelles orientations) ?",
    "objectifs": "Quels objectifs stratégiques et opérationnels se rattachent à vos engagements ?",
}
LABELS = {
    "organisme": "Organisme",
    "campagne": "Campagne",
    "referent_nom": "Nom du référent",
    "referent_fonction": "Fonction du référent",
    "referent_courriel": "Courriel",
    "referent_telephone": "Téléphone",
}


def retyped(text: str, variant: int) -> str:
    """Typography a partner's editor introduces: curly quotes, guillemets, NBSP, case, cuts."""
    if variant == 1:
        return text.replace("'", "’").replace(" ?", "\u00a0?").replace('"Cœur de Quartier"', "« Cœur de Quartier »")
    if variant == 2:
        return text.upper().replace("DE LA COMMUNAUTÉ URBAINE D'ARRAS", "DE LA CUA")
    if variant == 3:
        return (
            text.replace('"', "“", 1)
            .replace('"', "”", 1)
            .replace(" (dispositifs maintenus, nouvelles orientations)", "")
        )
    return text


# --- answers written as a person would type them --------------------------------------------


def intervention_lines(a: dict) -> list[str]:
    return [f"{i['intitule']} : {i['description']}" for i in a["interventions_structurantes"]]


def agent_lines(a: dict, reverse: bool = False) -> list[str]:
    return [
        f"{x['fonction']} : {x['nom']}" if reverse else f"{x['nom']} : {x['fonction']}" for x in a["agents_gouvernance"]
    ]


def objective_lines(a: dict) -> list[tuple[str, bool]]:
    """(text, is bullet): ambition heading, "Objectif stratégique n : label", then "2A label" bullets."""
    out: list[tuple[str, bool]] = []
    for block in a["objectifs_texte"]:
        out.append((block["ambition"], False))
        out.append((f"Objectif stratégique {block['os']} : {block['os_libelle']}", False))
        out.extend((f"{code} {label}", True) for code, label in block["oo"])
    return out


def engagement_lines(a: dict) -> list[tuple[str, bool]]:
    return [
        (line[2:], True) if line.startswith("- ") else (line, False) for line in a["engagements_2024_2030"].split("\n")
    ]


def header_lines(a: dict) -> list[tuple[str, str]]:
    return [(LABELS[k], str(a[k])) for k in LABELS]


# --- layouts ------------------------------------------------------------------------------------


def _answer_paragraphs(container: Any, field: str, a: dict, reverse_agents: bool = False) -> None:
    """Write one answer into a document or a table cell, paragraph by paragraph."""
    add = container.add_paragraph
    if field == "interventions_structurantes":
        for line in intervention_lines(a):
            add(line)
    elif field == "quartiers_vises":
        add(a["quartiers_texte"])
    elif field == "agents_gouvernance":
        for line in agent_lines(a, reverse_agents):
            add(line)
    elif field == "engagements_2024_2030":
        for text, bullet in engagement_lines(a):
            add(text, style="List Bullet" if bullet else None)
    else:
        for text, bullet in objective_lines(a):
            add(text, style="List Bullet" if bullet else None)


def titres(a: dict, document: Document) -> None:
    """Numbered headings, header fields as "Label : value" lines."""
    document.add_heading(f"Fiche d'engagement — {a['organisme']}", level=1)
    for label, value in header_lines(a):
        document.add_paragraph(f"{label} : {value}")
    for n, (field, question) in enumerate(QUESTIONS.items(), start=1):
        document.add_heading(f"{n}. {retyped(question, 1)}", level=2)
        _answer_paragraphs(document, field, a)


def gras(a: dict, document: Document) -> None:
    """Questions as bold "Q1 -" runs in plain paragraphs; header in a two-column table."""
    table = document.add_table(rows=0, cols=2)
    for label, value in header_lines(a):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
    for n, (field, question) in enumerate(QUESTIONS.items(), start=1):
        run = document.add_paragraph().add_run(f"Q{n} - {retyped(question, 3)}")
        run.bold = True
        run.font.size = Pt(12)
        _answer_paragraphs(document, field, a, reverse_agents=True)


def _fill_cell(cell: Any, field: str, a: dict) -> None:
    cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
    _answer_paragraphs(cell, field, a)


def tableau(a: dict, document: Document) -> None:
    """One two-column table: label | value, then question | answer."""
    document.add_paragraph("Questionnaire d'engagement « Cœur de Quartier »")
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in header_lines(a):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
    for field, question in QUESTIONS.items():
        cells = table.add_row().cells
        cells[0].text = retyped(question, 2)
        _fill_cell(cells[1], field, a)


def empile(a: dict, document: Document) -> None:
    """Stacked: each question in a row, its answer in the row below."""
    for label, value in header_lines(a):
        document.add_paragraph(f"{label.upper()} : {value}")
    table = document.add_table(rows=0, cols=1)
    table.style = "Table Grid"
    for field, question in QUESTIONS.items():
        table.add_row().cells[0].text = retyped(question, 0)
        _fill_cell(table.add_row().cells[0], field, a)


def imbrique(a: dict, document: Document) -> None:
    """A table nested in the cell of an outer layout table."""
    outer = document.add_table(rows=1, cols=1)
    holder = outer.rows[0].cells[0]
    holder.text = f"Réponse de {a['organisme']}"
    inner = holder.add_table(rows=0, cols=2)
    for label, value in header_lines(a):
        cells = inner.add_row().cells
        cells[0].text, cells[1].text = f"{label} :", value
    for field, question in QUESTIONS.items():
        cells = inner.add_row().cells
        cells[0].text = retyped(question, 1)
        _fill_cell(cells[1], field, a)


def etiquettes(a: dict, document: Document) -> None:
    """ "Question n :" prefixes, items as labelled line pairs, each objective on one line."""
    for label, value in header_lines(a):
        document.add_paragraph(f"{label} : {value}")
    for n, (field, question) in enumerate(QUESTIONS.items(), start=1):
        document.add_paragraph(f"Question {n} : {retyped(question, 0)}")
        if field == "interventions_structurantes":
            for item in a[field]:
                document.add_paragraph(f"Intitulé : {item['intitule']}")
                document.add_paragraph(f"Description : {item['description']}")
        elif field == "agents_gouvernance":
            for item in a[field]:
                document.add_paragraph(f"Nom : {item['nom']}")
                document.add_paragraph(f"Fonction : {item['fonction']}")
        elif field == "objectifs":
            for block in a["objectifs_texte"]:
                for code, label in block["oo"]:
                    document.add_paragraph(f"{block['ambition']} – OS {block['os']} – {code} : {label}")
        else:
            _answer_paragraphs(document, field, a)


LAYOUTS: dict[str, Callable[[dict, Document], None]] = {
    "titres": titres,
    "gras": gras,
    "tableau": tableau,
    "empile": empile,
    "imbrique": imbrique,
    "etiquettes": etiquettes,
}


def build(layout: str, answers: dict, path: Path) -> Path:
    document = docx.Document()
    LAYOUTS[layout](answers, document)
    document.save(str(path))
    return path
