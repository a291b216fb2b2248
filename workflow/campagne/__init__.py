"""The partner loop: yearly campaigns, the contact directory, pre-filled forms, send-backs and reminders."""
