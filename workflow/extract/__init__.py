"""Extraction: from a document's content to the answers it holds, with their provenance."""
