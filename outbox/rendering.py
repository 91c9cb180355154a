"""Turning rows into e-mails: template triples, rows rendered when queued, and render().

Each message NAME of the application has templates/emails/NAME-subject.txt, NAME-body.txt and
NAME-body.html, rendered in the active language (the outbox renders every row in its own).
"""

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from outbox import registry
from outbox.models import OutboxMessage


def render_templates(name: str, context: dict) -> tuple[str, str, str]:
    """Subject (on one line), text body and HTML body of the e-mail NAME. The context gets
    site_url, the absolute base of every link."""
    context = {"site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"emails/{name}-subject.txt", context).split())
    text = render_to_string(f"emails/{name}-body.txt", context)
    html = render_to_string(f"emails/{name}-body.html", context)
    return subject, text, html


def template_email(
    name: str,
    context: dict,
    *,
    headers: dict | None = None,
    email_class: type[EmailMultiAlternatives] = EmailMultiAlternatives,
) -> EmailMultiAlternatives:
    """The e-mail NAME: its text body, with the HTML body as an alternative. Not yet addressed:
    the outbox sets the recipient and the Message-ID when it sends the row."""
    subject, text, html = render_templates(name, context)
    email = email_class(subject=subject, body=text, headers=headers)
    email.attach_alternative(html, "text/html")
    return email


def render_stored(message: OutboxMessage, cache: dict) -> EmailMultiAlternatives | None:
    """Renderer of the kinds whose content was rendered when they were queued (see
    services.queue_rendered). A row whose bodies were emptied is never sent empty."""
    if not message.body_text and not message.body_html:
        return None
    email = EmailMultiAlternatives(subject=message.subject, body=message.body_text)
    if message.body_html:
        if message.body_text:
            email.attach_alternative(message.body_html, "text/html")
        else:
            email.body, email.content_subtype = message.body_html, "html"
    return email


def render(message: OutboxMessage, cache: dict | None = None) -> EmailMessage | None:
    """The e-mail for MESSAGE as it would leave now: rendered by its kind's renderer in the
    row's language, addressed to the row's recipient, with the row's Message-ID. None when its
    renderer has nothing to say any more. Raises UnknownKind for a kind nobody registered."""
    renderer = registry.kind(message.kind).render
    with translation.override(message.language):
        email = renderer(message, {} if cache is None else cache)
    if email is None:
        return None
    email.to = [message.recipient_email]
    email.cc, email.bcc = [], []
    email.extra_headers["Message-ID"] = message.message_id
    return email
