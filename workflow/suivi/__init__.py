"""Suivi: the spreadsheets staff import (programmation, meetings, observations)."""
