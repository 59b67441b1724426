"""What every domain shares: errors, pagination, auth, text, time."""
