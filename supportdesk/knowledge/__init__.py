"""The knowledge base: articles customers read and rate, and agents keep right."""
