"""A form returned without a single answer: it is not an answer, and never replaces one."""

from __future__ import annotations

from workflow.answers import FicheAssociation, Questionnaire

# Printed on our blank forms before they are sent: their presence says nothing of an answer.
PRINTED_IDENTITY = {"association_nom"}


def is_blank(form: Questionnaire | FicheAssociation) -> bool:
    """Return whether nothing but what the blank form already printed was filled in."""
    if isinstance(form, Questionnaire):
        return not any(
            (
                form.referent_nom,
                form.referent_fonction,
                form.referent_courriel,
                form.referent_telephone,
                form.interventions,
                form.quartiers,
                form.agents,
                form.engagements.strip(),
                form.objectifs,
            )
        )
    identity = any(v for k, v in form.identite.items() if k not in PRINTED_IDENTITY)
    return not (identity or form.quartiers or form.ambitions or form.objectifs or form.actions or form.engagements)
