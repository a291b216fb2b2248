"""Turn what the reader was unsure of into alerts: questions left empty, text no field could take."""

from __future__ import annotations

from workflow.answers import Alerte, Valeur
from workflow.referentiel import Referentiel
from workflow.validation.alertes import CodeAlerte

EXTRACT = 160  # characters of unclassified text quoted in the alert


def uncertain_reading(
    empty: tuple[str, ...], unplaced: tuple[tuple[str, Valeur], ...], ref: Referentiel
) -> list[Alerte]:
    """Return a `section_vide` per question found with no answer and a `lecture_incertaine` per text
    set aside, with where it stands so that a person can place it."""
    alerts = [
        Alerte(
            CodeAlerte.SECTION_VIDE,
            f"La question « {_title(q, ref)} » figure dans le document mais aucune réponse n'a été lue dessous.",
            q,
        )
        for q in empty
    ]
    for field, value in unplaced:
        text = " ".join(value.texte.split())
        quoted = text if len(text) <= EXTRACT else text[:EXTRACT].rsplit(" ", 1)[0] + " …"
        near = f" sous la question « {_title(field, ref)} »" if field else ""
        alerts.append(
            Alerte(
                CodeAlerte.LECTURE_INCERTAINE,
                f"Texte non classé{near} ({value.lieu.detail}) : « {quoted} ».",
                field or "texte_non_classe",
            )
        )
    return alerts


def _title(field: str, ref: Referentiel) -> str:
    for question in ref.questionnaire.questions:
        if question.id == field:
            return question.texte
    return ref.association.sections.get(field, field)
