"""Meetings of the Conference of the Parties and its working groups, and their documents."""
