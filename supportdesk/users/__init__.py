"""Agent accounts (admins and agents), their sign-in sessions and API tokens."""
