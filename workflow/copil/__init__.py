"""COPIL: dates, the pack prepared ahead, reminders drafted and sent on request."""
