"""Periodic jobs for RQ's scheduler: `rq cron questionnaire.schedule`.

Loading this module registers the jobs (RQ's contract for cron configuration modules).
"""

from rq import cron

from questionnaire.outbox.services import QUEUE_NAME
from questionnaire.worker import deliver_job, reminders_job

#: Messages that failed are tried again when due; every five minutes is enough.
cron.register(deliver_job, QUEUE_NAME, interval=300, name="outbox-send")
#: Reminders once a day, early in the morning (UTC).
cron.register(reminders_job, QUEUE_NAME, cron="0 6 * * *", name="reminders-send")
