"""Celery tasks: thin wrappers with stable names. Primitive ids in, fetch, call a service."""

from celery import shared_task


@shared_task(name="meetings.extend_series_horizons")
def extend_series_horizons() -> int:
    from meetings.services.series import series_extend_horizons

    return series_extend_horizons()


@shared_task(name="meetings.send_email", acks_late=True)
def send_email(message_id: int) -> str:
    """Send one outbox row (and a batch of other due rows): every e-mail of the application,
    whatever its app. Retries come from the sweeper. Dispatched by this name (outbox.services)."""
    from outbox import services

    return services.deliver(message_id)


@shared_task(name="meetings.sweep_outbox")
def sweep_outbox() -> int:
    from outbox import services

    return services.sweep()


@shared_task(name="meetings.send_reminders")
def send_reminders() -> int:
    from meetings.services import reminders

    return reminders.send_due_reminders()


@shared_task(name="meetings.read_itip_mailbox")
def read_itip_mailbox() -> int:
    from meetings.calendar.services import replies as itip

    return itip.read_mailbox()


@shared_task(name="meetings.send_followups")
def send_followups() -> int:
    """Action reminders 2 days before they are due, and meetings left unclosed for 72 hours."""
    from meetings.followup.services import reminders as followup

    return followup.send_action_reminders() + followup.send_close_reminders()


@shared_task(name="meetings.send_action_digests")
def send_action_digests() -> int:
    from meetings.followup.services import reminders as followup

    return followup.send_overdue_digests()


@shared_task(name="attendance.send_report_reminders")
def send_report_reminders() -> int:
    """Rapporteurs hear, once per accredited session, that its attendance is to hand in."""
    from meetings.attendance.services import reports

    return reports.send_report_reminders()


@shared_task(name="meetings.purge_vignettes")
def purge_vignettes() -> int:
    """Vignettes past their retention lose their text; a tombstone remains."""
    from meetings.vignettes import services as vignettes

    return vignettes.purge_expired()


@shared_task(name="situations.notify_overdue_actions")
def notify_overdue_actions() -> int:
    """The référents hear, once per action, that an action of a plan is overdue."""
    from meetings.situations.services import plan

    return plan.notify_overdue_actions()


@shared_task(name="situations.purge_closed_situations")
def purge_closed_situations() -> int:
    """Closed situations past SITUATION_RETENTION_MONTHS lose their notes' and reports' texts."""
    from meetings.situations.services import retention

    return retention.purge_closed_situations()


@shared_task(name="audit.purge_access_log")
def purge_access_log() -> int:
    """Reads older than ACCESS_LOG_RETENTION_DAYS leave the access log."""
    from audit import services as audit

    return audit.purge_expired()


@shared_task(name="calendar.purge_revoked_subscriptions")
def purge_revoked_subscriptions() -> int:
    """Subscriptions revoked more than REVOKED_SUBSCRIPTION_RETENTION_DAYS ago are deleted."""
    from meetings.calendar.services import subscriptions

    return subscriptions.purge_revoked()


@shared_task(name="followup.purge_feedback_comments")
def purge_feedback_comments() -> int:
    """Feedback comments older than FEEDBACK_COMMENT_RETENTION_MONTHS are emptied; scores stay."""
    from meetings.followup.services import retention

    return retention.purge_feedback_comments()


@shared_task(name="outbox.empty_final_bodies")
def empty_outbox_bodies() -> int:
    """Rows sent, failed or superseded keep no stored body (a reset link, for one)."""
    from outbox import services

    return services.empty_final_bodies()


@shared_task(name="load.review_series")
def review_series() -> int:
    """Yearly series reviews: open those due, remind once, stop the series nobody answered for."""
    from meetings.load.services import reviews

    return reviews.run_reviews().total


@shared_task(name="polls.tick")
def polls_tick() -> int:
    """Date polls: close those past their deadline (their organiser told once), then remind,
    once, who has not answered 2 days before the deadline."""
    from meetings.polls.services import closing

    return closing.close_expired() + closing.send_reminders()


@shared_task(name="exchanges.tick")
def exchanges_tick() -> int:
    """« Vis ma vie »: both sides of a visit asked for their feedback 2 days after it, and
    reminded once a week later if they have not written it."""
    from meetings.exchanges.services import feedback

    return feedback.send_requests()
