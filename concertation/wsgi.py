"""The WSGI application: the site, and the calendar feeds on a lighter path.

Every subscribed phone and calendar asks for its feed again every hour or so, day and night, and
is nearly always answered 304. Those requests need none of what serves a person in a browser
(sessions, login, CSRF, messages, the language switch, htmx, allauth, static files): a feed is
found by its token or network, speaks its subscriber's language, and accepts only GET and HEAD.
So feed paths go through Django with only the middleware that still applies to them (security
headers and HTTPS, allowed hosts); everything else goes through settings.MIDDLEWARE. The views
are the same either way (the test client serves them with all the middleware).
"""

import os

from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIHandler
from django.core.wsgi import get_wsgi_application
from django.utils.module_loading import import_string

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "concertation.settings")

FEED_PATHS = ("/calendar/feed/", "/calendar/network/")
FEED_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
]


class FeedHandler(WSGIHandler):
    """Django's WSGI handler with FEED_MIDDLEWARE instead of settings.MIDDLEWARE (both are
    plain request/response middleware: no view, template-response or exception hooks)."""

    def load_middleware(self, is_async=False):
        self._view_middleware = []
        self._template_response_middleware = []
        self._exception_middleware = []
        handler = convert_exception_to_response(self._get_response)
        for path in reversed(FEED_MIDDLEWARE):
            handler = convert_exception_to_response(import_string(path)(handler))
        self._middleware_chain = handler


site = get_wsgi_application()
feeds = FeedHandler()


def application(environ, start_response):
    if environ.get("PATH_INFO", "").startswith(FEED_PATHS):
        return feeds(environ, start_response)
    return site(environ, start_response)
