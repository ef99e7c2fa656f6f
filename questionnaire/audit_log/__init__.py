"""The audit log as the secretariat reads it: filtered, in words, exported.

The entries are written by every feature through `questionnaire.audit`, which sits below them
all; reading them names users, reviews and States, so the page sits above those features.
"""
