"""Document workflow of the contrat de ville « Cœur de Quartier » (CU d'Arras, 2024-2030)."""

__version__ = "0.1.0"
