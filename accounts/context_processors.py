from functools import cache

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _


def signup(request):
    return {"signup_open": settings.SIGNUP_OPEN}


# The main menu of the base layout: every page shows it, so its paths are reversed once per
# process rather than once per page, and it is one loop rather than an included template per
# item. A name that does not resolve (an app not installed) is shown as coming soon.
MENU = [
    ("meetings:agenda", _("Agenda")),
    ("polls:list", _("Sondages")),
    ("exchanges:index", _("Vis ma vie")),
    ("meetings:groups", _("Groupes")),
    ("situations:situations", _("Situations")),
    ("accounts:directory", _("Répertoire")),
    ("followup:actions", _("Mes actions")),
    ("load:mine", _("Ma charge de réunions")),
    ("calendar:calendar", _("Mes abonnements")),
]


@cache
def _menu_paths(prefix: str, urlconf: str) -> tuple[str | None, ...]:
    """The path of each item of MENU under the script PREFIX in URLCONF (both fixed for a process)."""
    paths = []
    for name, _label in MENU:
        try:
            paths.append(reverse(name, urlconf=urlconf))
        except NoReverseMatch:
            paths.append(None)
    return tuple(paths)


def menu(request):
    """The main menu's items: (path or None, label, whether it is the current page's section)."""
    section = request.path[:12]

    def items():
        paths = _menu_paths(get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
        return [
            (path, label, path is not None and path != "/" and path[:12] == section)
            for path, (_name, label) in zip(paths, MENU, strict=True)
        ]

    # Only the pages that show the menu build it (a fragment or an e-mail does not).
    return {"menu": items}
