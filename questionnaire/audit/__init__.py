"""One audit log of every change that matters: the entries, and how services record them.

It sits below every feature, which all record their changes here; the page that reads the log
is `questionnaire.audit_log`.
"""
