"""Validate stage: answers checked against the contract's reference data, each problem an alert."""
