"""E-mail messages rendered from template triples in templates/emails/.

Each message NAME has NAME-subject.txt, NAME-body.txt and NAME-body.html, rendered in the
recipient's language.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def build_email(*, name: str, to: str, language: str, context: dict) -> EmailMultiAlternatives:
    with translation.override(language):
        context = {**context, "site_url": settings.SITE_URL}
        subject = " ".join(render_to_string(f"emails/{name}-subject.txt", context).split())
        text = render_to_string(f"emails/{name}-body.txt", context)
        html = render_to_string(f"emails/{name}-body.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to])
    message.attach_alternative(html, "text/html")
    return message


def send_account_invitation(*, user, inviter) -> None:
    """Send USER a link to choose a password (allauth's reset key, valid a few days)."""
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str
    from django.urls import reverse

    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)},
    )
    build_email(
        name="account-invitation",
        to=user.email,
        language=user.language,
        context={"user": user, "inviter": inviter, "link": settings.SITE_URL + path},
    ).send()
