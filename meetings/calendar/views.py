"""Calendar feeds: the subscription page, the public feeds coordinators publish, and the feeds
calendar applications fetch.

Feeds need no login (calendar applications have no session): the token in the address is the
key. A network's public feed exists only once a coordinator has published it, and shows only the
title, time and place of what is open to the whole network. Unknown, revoked and changed tokens get
the same 404. Each token (and each client address, for the public feed) is rate limited.
Conditional requests (If-None-Match, If-Modified-Since) are answered 304 from the feed's version
alone, without building the calendar; a full request for a version already built gets the body
kept in the cache under that version (feeds.bodies).
"""

import time
from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.models import Network
from accounts.rules import network_ids_of
from meetings.calendar import feeds, rules
from meetings.calendar.forms import PublicFeedForm, SubscriptionForm
from meetings.calendar.models import FeedSubscription, hash_token
from meetings.calendar.services import public_feeds
from meetings.calendar.services import subscriptions as feed_services
from meetings.qr import qr_svg

# Per token (or per public feed and client address): calendar applications fetch at most
# a few times an hour; this leaves room for retries and several calendars on one address.
RATE_LIMIT = 60
RATE_WINDOW_SECONDS = 600
# A public feed, per token and client address: behind a proxy that does not pass the client's
# address on, every client shares one counter, hence the larger allowance.
PUBLIC_RATE_LIMIT = 600
# How long the cache remembers since when a public feed has had its version (its Last-Modified).
PUBLIC_SINCE_SECONDS = 3600
TOKEN_MAX_LENGTH = 100


# The subscription page


def _subscription_form(user, data=None) -> SubscriptionForm:
    return SubscriptionForm(
        data, groups=feeds.subscribable_groups(user), networks=feeds.subscribable_networks(user)
    )


def _public_feeds(user) -> list[dict]:
    """The networks USER coordinates, each with its public feed (None when not published) and
    that feed's address (None when it cannot be shown: see public_feeds.public_feed_token)."""
    rows = []
    for network in feeds.publishable_networks(user):
        feed = getattr(network, "public_feed", None)
        token = public_feeds.public_feed_token(feed) if feed is not None else None
        rows.append(
            {"network": network, "feed": feed, "url": feeds.public_feed_url(token) if token else None}
        )
    return rows


def calendar_page(request: HttpRequest) -> HttpResponse:
    """Mes abonnements: add a subscription (its address is shown once), see and revoke them; for
    coordinators, their networks' public feeds."""
    form = _subscription_form(request.user, request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            subscription, token = feed_services.subscription_create(
                user=request.user, label=data["label"], group=data["group"], network=data["network"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            url = feeds.feed_url(token)
            webcal = feeds.webcal_url(url)
            created = {"subscription": subscription, "url": url, "webcal": webcal, "qr": qr_svg(webcal)}
            form = _subscription_form(request.user)
    subscriptions = request.user.feed_subscriptions.filter(revoked_at__isnull=True).select_related(
        "group", "network"
    )
    context = {
        "form": form,
        "created": created,
        "subscriptions": subscriptions,
        "public_feeds": _public_feeds(request.user),
        "refresh_minutes": int(feeds.REFRESH.total_seconds() // 60),
        "past_days": feeds.PAST_DAYS,
    }
    response = render(request, "calendar/calendar.html", context)
    if created:
        # The address is a secret shown once: no cache keeps it.
        response["Cache-Control"] = "no-store"
    return response


@require_POST
def calendar_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = get_object_or_404(FeedSubscription, pk=pk, user=request.user, revoked_at__isnull=True)
    feed_services.subscription_revoke(subscription=subscription)
    messages.success(
        request,
        _("L'abonnement « %(label)s » est révoqué : cet agenda ne se met plus à jour.")
        % {"label": subscription.label},
    )
    return redirect("calendar:calendar")


@require_POST
def network_public_feed(request: HttpRequest, pk: int) -> HttpResponse:
    """A coordinator publishes their network's public feed, changes its address or withdraws it."""
    network = get_object_or_404(Network, pk=pk, pk__in=network_ids_of(request.user))
    if not rules.can_publish_network_feed(request.user, network):
        raise PermissionDenied
    form = PublicFeedForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("__all__") or [_("Ce choix n'existe pas.")]:
            messages.error(request, error)
        return redirect(_public_section(network))
    action = form.cleaned_data["action"]
    if action == PublicFeedForm.PUBLISH:
        public_feeds.public_feed_publish(network=network, by=request.user)
        done = _("L'agenda public de %(network)s est publié : son adresse est ci-dessous.")
    elif action == PublicFeedForm.CHANGE:
        if public_feeds.public_feed_change_address(network=network) is None:
            messages.error(
                request, _("%(network)s ne publie pas d'agenda public.") % {"network": network.name}
            )
            return redirect(_public_section(network))
        done = _("L'agenda public de %(network)s a une nouvelle adresse : l'ancienne ne fonctionne plus.")
    else:
        public_feeds.public_feed_withdraw(network=network)
        done = _("L'agenda public de %(network)s n'est plus publié : son adresse ne fonctionne plus.")
    messages.success(request, done % {"network": network.name})
    return redirect(_public_section(network))


def _public_section(network: Network) -> str:
    return f"{reverse('calendar:calendar')}#public-feed-{network.pk}"


# The feeds


def _not_found() -> HttpResponse:
    """The one answer for an unknown token, a revoked one, a changed public address, or a group or
    network feed of a former member."""
    return HttpResponseNotFound(b"Not found\n", content_type="text/plain; charset=utf-8")


def _rate_limited(key: str, *, limit: int = RATE_LIMIT) -> HttpResponse | None:
    """A 429 once KEY made LIMIT requests in the current window (a counter in the cache)."""
    now = int(time.time())
    window = now // RATE_WINDOW_SECONDS
    cache_key = f"feed-rate:{key}:{window}"
    if cache.add(cache_key, 1, RATE_WINDOW_SECONDS):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add() and incr()
            cache.add(cache_key, 1, RATE_WINDOW_SECONDS)
            count = 1
    if count <= limit:
        return None
    response = HttpResponse(b"Too many requests\n", status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str((window + 1) * RATE_WINDOW_SECONDS - now)
    return response


def _with_validators(response: HttpResponse, etag: str, last_modified: datetime, *, private: bool):
    response["ETag"] = quote_etag(etag)
    response["Last-Modified"] = http_date(int(last_modified.timestamp()))
    # Stored, but asked again every time: the answer is usually a cheap 304.
    response["Cache-Control"] = ("private" if private else "public") + ", no-cache"
    if private:
        response["X-Robots-Tag"] = "noindex"
    return response


def _not_modified(request: HttpRequest, etag: str, last_modified: datetime, *, private: bool):
    """A 304 (or 412) when the request's validators say the client has this version, else None.
    (No response is built beforehand: most feed requests end here.)"""
    answer = get_conditional_response(
        request, etag=quote_etag(etag), last_modified=int(last_modified.timestamp())
    )
    if answer is not None and answer.status_code == 304:
        _with_validators(answer, etag, last_modified, private=private)
    return answer


def _calendar_response(body: bytes, etag: str, last_modified: datetime, *, private: bool) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    return _with_validators(response, etag, last_modified, private=private)


@login_not_required
@require_safe
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """A personal, group or network feed, by the token of one subscription."""
    if len(token) > TOKEN_MAX_LENGTH:
        return _not_found()
    limited = _rate_limited("token:" + hash_token(token))
    if limited:
        return limited
    now = timezone.now()
    since = feeds.window_start(now)
    subscription = feeds.subscription_for_token(token, since)
    if subscription is None:
        return _not_found()
    etag = feeds.subscription_version(subscription, since)
    last_modified = feed_services.served_since(subscription, etag, now)
    response = _not_modified(request, etag, last_modified, private=True)
    if response is None:
        body = feeds.kept_body(etag, lambda: feeds.subscription_calendar(subscription, since=since))
        response = _calendar_response(body, etag, last_modified, private=True)
    feed_services.subscription_fetched(
        subscription=subscription, etag=etag, user_agent=request.headers.get("User-Agent", ""), now=now
    )
    return response


@login_not_required
@require_safe
def network_feed(request: HttpRequest, token: str) -> HttpResponse:
    """A network's public feed, by the token of the address a coordinator published: the same for
    everyone."""
    if len(token) > TOKEN_MAX_LENGTH:
        return _not_found()
    limited = _rate_limited(
        f"public:{hash_token(token)}:{request.META.get('REMOTE_ADDR', '')}", limit=PUBLIC_RATE_LIMIT
    )
    if limited:
        return limited
    since = feeds.window_start()
    network = feeds.public_network_for_token(token, since)
    if network is None:
        return _not_found()
    etag = feeds.public_version(network, since)
    # Since when this version has been served (its Last-Modified), as subscriptions keep it in
    # their row; once the cache has let it go, from now.
    last_modified = cache.get_or_set(f"feed-since:{etag}", timezone.now(), PUBLIC_SINCE_SECONDS)
    response = _not_modified(request, etag, last_modified, private=False)
    if response is None:
        body = feeds.kept_body(etag, lambda: feeds.public_calendar(network, since=since))
        response = _calendar_response(body, etag, last_modified, private=False)
    return response
