"""Calendar feeds: the subscription page, and the feeds calendar applications fetch.

Feeds need no login (calendar applications have no session): the token in the address is the
key, and the public network feed shows only what is open to the whole network. Unknown and revoked
tokens get the same 404. Each token (and each address, for the public feed) is rate limited.
Conditional requests (If-None-Match, If-Modified-Since) are answered 304 from the feed's version
alone, without building the calendar.
"""

import time
from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotFound
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.models import Network
from accounts.rules import network_ids_of
from meetings.calendar import feeds
from meetings.calendar.forms import SubscriptionForm
from meetings.calendar.models import FeedSubscription, hash_token
from meetings.calendar.services import subscriptions as feed_services
from meetings.qr import qr_svg

# Per token (or per address and network for the public feed): calendar applications fetch at most
# a few times an hour; this leaves room for retries and several calendars on one address.
RATE_LIMIT = 60
RATE_WINDOW_SECONDS = 600
# The public feed, per network and client address: behind a proxy that does not pass the client's
# address on, every client shares one counter, hence the larger allowance.
PUBLIC_RATE_LIMIT = 600
PUBLIC_BODY_SECONDS = 3600
TOKEN_MAX_LENGTH = 100


# The subscription page


def calendar_page(request: HttpRequest) -> HttpResponse:
    """Mes abonnements: add a subscription (its address is shown once), see and revoke them."""
    form = SubscriptionForm(request.POST or None, groups=feeds.subscribable_groups(request.user))
    created = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            subscription, token = feed_services.subscription_create(
                user=request.user, label=data["label"], group=data["group"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            url = feeds.feed_url(token)
            webcal = feeds.webcal_url(url)
            created = {"subscription": subscription, "url": url, "webcal": webcal, "qr": qr_svg(webcal)}
            form = SubscriptionForm(groups=feeds.subscribable_groups(request.user))
    subscriptions = request.user.feed_subscriptions.filter(revoked_at__isnull=True).select_related("group")
    networks = Network.objects.filter(pk__in=network_ids_of(request.user)).order_by("name")
    context = {
        "form": form,
        "created": created,
        "subscriptions": subscriptions,
        "network_feeds": [
            (network, feeds.feed_base_url() + reverse("calendar:network_feed", args=[network.pk]))
            for network in networks
        ],
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


# The feeds


def _not_found() -> HttpResponse:
    """The one answer for an unknown token, a revoked one, or a group feed of a former member."""
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
    """A personal or group feed, by the token of one subscription."""
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
        body = feeds.subscription_calendar(subscription, since=since)
        response = _calendar_response(body, etag, last_modified, private=True)
    feed_services.subscription_fetched(
        subscription=subscription, etag=etag, user_agent=request.headers.get("User-Agent", ""), now=now
    )
    return response


@login_not_required
@require_safe
def network_feed(request: HttpRequest, network_id: int) -> HttpResponse:
    """The meetings of NETWORK open to all its members, for anyone (no token)."""
    limited = _rate_limited(
        f"network:{network_id}:{request.META.get('REMOTE_ADDR', '')}", limit=PUBLIC_RATE_LIMIT
    )
    if limited:
        return limited
    since = feeds.window_start()
    network = feeds.network_with_digest(network_id, since)
    if network is None:
        raise Http404
    etag = feeds.network_version(network, since)
    # Since when this version has been served (its Last-Modified), as personal feeds keep it in
    # their subscription; once the cache has let it go, from now.
    last_modified = cache.get_or_set(f"feed-since:{etag}", timezone.now(), PUBLIC_BODY_SECONDS)
    response = _not_modified(request, etag, last_modified, private=False)
    if response is None:
        # The same for everyone who subscribes: kept for the next one while its version holds.
        cache_key = f"feed-body:{etag}"
        body = cache.get(cache_key)
        if body is None:
            body = feeds.network_calendar(network, since=since)
            cache.set(cache_key, body, PUBLIC_BODY_SECONDS)
        response = _calendar_response(body, etag, last_modified, private=False)
    return response
