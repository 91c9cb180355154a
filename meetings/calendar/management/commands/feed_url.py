"""Create a personal calendar feed subscription for a user and print its address.

For support staff (a person who cannot use the page) and for checks:

    python manage.py feed_url medecin@demo.concertation.test --label "Support"
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from meetings.calendar.feeds import feed_url
from meetings.calendar.services import subscriptions as feed_services
from meetings.errors import error_text


class Command(BaseCommand):
    help = "Create a personal calendar feed token for EMAIL and print the feed's address."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--label", default="Support", help="Name of the subscription (default: Support).")

    def handle(self, *args, email, label, **options):
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No user with the e-mail address {email}.")
        try:
            _subscription, token = feed_services.subscription_create(user=user, label=label)
        except ValidationError as error:
            raise CommandError(error_text(error)) from error
        self.stdout.write(feed_url(token))
