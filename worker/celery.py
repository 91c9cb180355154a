"""The Celery app. Tasks live in worker/tasks.py and stay thin: ids in, fetch, call a service."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "concertation.settings")

app = Celery("concertation")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["worker"])

# Periodic work. Each task is idempotent, so a missed or doubled beat does no harm.
app.conf.beat_schedule = {
    "extend-series-horizons": {"task": "meetings.extend_series_horizons", "schedule": 6 * 3600},
    "sweep-outbox": {"task": "meetings.sweep_outbox", "schedule": 60},
    "send-reminders": {"task": "meetings.send_reminders", "schedule": 300},
    "read-itip-mailbox": {"task": "meetings.read_itip_mailbox", "schedule": 120},
    "send-followups": {"task": "meetings.send_followups", "schedule": 3600},
    "purge-vignettes": {"task": "meetings.purge_vignettes", "schedule": 900},
    "notify-overdue-plan-actions": {"task": "situations.notify_overdue_actions", "schedule": 3600},
    "purge-closed-situations": {"task": "situations.purge_closed_situations", "schedule": 6 * 3600},
    "purge-access-log": {"task": "audit.purge_access_log", "schedule": 24 * 3600},
    "purge-revoked-subscriptions": {"task": "calendar.purge_revoked_subscriptions", "schedule": 24 * 3600},
    "purge-feedback-comments": {"task": "followup.purge_feedback_comments", "schedule": 24 * 3600},
    "empty-outbox-bodies": {"task": "outbox.empty_final_bodies", "schedule": 3600},
    # Date polls: closed at their deadline within 15 minutes, reminders 2 days before it.
    "polls-tick": {"task": "polls.tick", "schedule": 900},
    # « Vis ma vie »: feedback asked 2 days after a visit, reminded a week later.
    "exchanges-tick": {"task": "exchanges.tick", "schedule": 3600},
    # Morning, Brussels time: the rapporteur reads it before the day's consultations.
    "send-attendance-report-reminders": {
        "task": "attendance.send_report_reminders",
        "schedule": crontab(hour=8, minute=15),
    },
    # Early morning, Brussels time: a series' yearly review is opened on its anniversary.
    "review-series": {"task": "load.review_series", "schedule": crontab(hour=6, minute=45)},
    # Monday morning, Brussels time (CELERY_TIMEZONE follows TIME_ZONE).
    "send-action-digests": {
        "task": "meetings.send_action_digests",
        "schedule": crontab(hour=7, minute=30, day_of_week="mon"),
    },
}
