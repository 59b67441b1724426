"""The unified customer timeline: every channel's entries in one list, newest first."""
