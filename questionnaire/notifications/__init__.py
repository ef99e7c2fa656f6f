"""E-mail notifications: a person's messages, the secretariat's outbox page, the deadline
reminders; the e-mails themselves are written to and delivered from `questionnaire.outbox`."""
