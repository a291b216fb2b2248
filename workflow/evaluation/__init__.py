"""Evaluation reports (Partie 5 of the contract): figures, tables, charts, the rendered report."""
