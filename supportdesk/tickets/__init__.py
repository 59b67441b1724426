"""Tickets and what happens on them: messages on any channel, calls, events."""
