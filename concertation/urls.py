from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from accounts import views as accounts_views

# The admin logs in through allauth's login (its lock-out and the second factor), never through
# Django's own password-only form.
admin.site.login = secure_admin_login(admin.site.login)
# The admin says whose it is, in the reader's language, rather than "Django administration".
admin.site.site_header = _("Concertation — administration")
admin.site.site_title = _("Concertation — administration")

# A database that does not answer gets a 503 page in the reader's language, anything else
# Django's 500 (concertation/unavailable.py).
handler500 = "concertation.unavailable.server_error"

urlpatterns = [
    path("", accounts_views.home, name="home"),
    path("healthz", accounts_views.healthz, name="healthz"),
    path("profile/", accounts_views.profile, name="profile"),
    # Feeds first: calendar clients poll them often, and allauth's many patterns come later.
    path("", include("meetings.calendar.urls")),
    path("", include("meetings.urls")),
    path("", include("meetings.attendance.urls")),
    path("", include("meetings.followup.urls")),
    path("", include("meetings.vignettes.urls")),
    path("", include("meetings.situations.urls")),
    path("", include("meetings.load.urls")),
    path("", include("meetings.polls.urls")),
    path("", include("meetings.exchanges.urls")),
    # One's own data, as a file (GDPR, right of access); nobody else's.
    path("profile/data/", accounts_views.personal_data_download, name="personal_data"),
    path("accounts/", include("allauth.urls")),
    path("directory/", include("accounts.urls")),
    # The language switcher works before login too (on the login page).
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
