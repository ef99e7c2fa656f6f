"""Errors shared by the features' services."""


class RuleViolation(ValueError):
    """A change that the rules of the review mechanism do not allow; the message says which."""
