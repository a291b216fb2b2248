"""Intake: every source hands a file to one `ingest()`; it ends recorded or in quarantine."""
