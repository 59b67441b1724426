"""Canned responses: replies admins word once, per locale, that agents insert and fill in."""
