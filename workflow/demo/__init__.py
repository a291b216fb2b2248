"""The demo workspace: blank forms, filled with example answers, ingested, annex generated."""
