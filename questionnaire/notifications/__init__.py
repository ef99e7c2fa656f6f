"""E-mail notifications: a person's messages, the secretariat's outbox page, the deadline
reminders; the e-mails themselves are written to and delivered from `questionnaire.outbox`.

The reminders read the reviews, the workspace and the nominations due, so this package sits
above the features, and none of them imports it: what a change tells people is written by the
feature that makes it (its `events.py`, with the notices of `reviews/notices.py`).
"""
