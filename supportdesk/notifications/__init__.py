"""Agents' notifications: a mention in a note, an assignment, a new chat (``listeners``
make them from tickets' signals), each pushed to its agent alone."""
