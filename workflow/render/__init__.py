"""Render stage: Word templates of gabarits/ filled from the registry, written to outbox/."""
