"""The secretariat's dashboard and a phase's page: every review with its reviewers, the status
of its list of observations and what is overdue.

Its rows read the reviews, the reviewing States' work (lists of observations, dialogue) and the
nominations due, so it sits above those features; the meetings' status and the API read its
rows too.
"""
