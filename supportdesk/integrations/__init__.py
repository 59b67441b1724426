"""Context integrations: the company's other systems, asked what they know about a customer."""
