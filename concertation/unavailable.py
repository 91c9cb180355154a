"""The database does not answer: a calm 503 page, in the reader's language, rather than a 500.

While PostgreSQL restarts, or while its host cannot be reached, every request that needs it
fails with django.db.OperationalError or InterfaceError: in the view, or before it, when a
middleware reads the session or the user. Django hands any such error to the URLconf's
handler500 (concertation/urls.py), from inside the `except` block that caught it; `server_error`
answers a database error with 503 Service Unavailable and a Retry-After header, and leaves every
other error to Django's own 500 page.

The page reads nothing from the database: it is rendered without the request's context
processors (the user, the messages and the CSRF token come from the session, which lives in the
database), from a template that does not extend base.html. Its language is the request's, as
LocaleMiddleware chose it from the language cookie or the browser (no database either). Every
write is in a transaction, so what a request was writing is committed or rolled back as a
whole: the page asks the reader to check. Once the database is back, each process replaces its
dead connections at the next request (CONN_HEALTH_CHECKS in settings.py), without a restart.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views import defaults

UNAVAILABLE_ERRORS = (OperationalError, InterfaceError)
# A restart takes seconds; calendar clients and browsers may come back after this many.
RETRY_AFTER_SECONDS = 30


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """503, Retry-After and a short page; never cached, since it says nothing of the page asked."""
    retry_url = request.get_full_path() if request.method in ("GET", "HEAD") else request.path
    body = render_to_string("503.html", {"retry_url": retry_url})
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request: HttpRequest, template_name: str = defaults.ERROR_500_TEMPLATE_NAME) -> HttpResponse:
    """handler500: Django calls it while handling the error, which sys.exc_info() names."""
    if isinstance(sys.exc_info()[1], UNAVAILABLE_ERRORS):
        return database_unavailable(request)
    return defaults.server_error(request, template_name)
