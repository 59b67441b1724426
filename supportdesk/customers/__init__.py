"""Customers and their identities: e-mail, phone, chat visitor token, external id."""
