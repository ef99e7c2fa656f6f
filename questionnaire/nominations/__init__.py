"""Nominations: the people States name to reviews by note verbale, and the roles they get."""
