"""A State's replies to earlier questionnaires, attached to its review as reference material."""
