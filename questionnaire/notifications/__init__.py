"""E-mail notifications through an outbox table."""
