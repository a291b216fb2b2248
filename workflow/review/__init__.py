"""Review stage: a person checks what was read, corrects it once, and validates it."""
