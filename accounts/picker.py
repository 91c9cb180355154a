"""The people picker: one form field wherever people are chosen (invitations, a group's members,
an action's owner), never a <select> of a whole network.

In the page: the people chosen are chips (checked checkboxes, each with a "Retirer" button once
static/js/picker.js runs), and one text field. Typing a name there asks the form's search URL
(htmx) for at most accounts.queries.PICKER_LIMIT matches; an e-mail address typed there becomes a
guest's chip where the field takes guests. Without JavaScript the text field still takes
addresses, separated by commas or lines, and the chips already chosen stay checked.

The field checks every person against its queryset, whatever the page sent: a search shows only
whom the caller may choose, and the form accepts nobody else.
"""

import re
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.db.models.functions import Lower
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.queries import PICKER_LIMIT

# A chip's value: "u" and the person's id (a bare id too, as a <select> would have sent it).
USER_TOKEN = re.compile(r"u?(\d{1,12})")
MAX_AT_ONCE = 500


@dataclass(frozen=True)
class Picked:
    """What a picker field cleans to: people of its queryset, and guests' addresses."""

    users: list = field(default_factory=list)
    emails: list = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.users or self.emails)


@dataclass(frozen=True)
class Chip:
    value: str  # "u<pk>" for a person, the address for a guest
    label: str
    guest: bool = False


@dataclass(frozen=True)
class Mark:
    """A word beside a search result ("membre du groupe", "déjà invité·e"); a blocking mark makes
    the result unchoosable, for there is nothing to do (the person is invited already)."""

    text: str
    blocks: bool = False


def split_entries(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,;\n\r]+", text or "") if part.strip()]


def label_of(user: User) -> str:
    return user.get_full_name() or str(_("Sans nom"))


class PeoplePicker(forms.Widget):
    template_name = "accounts/picker.html"

    def __init__(self, attrs=None, *, search_url: str = "", max_people: int | None = None, guests=False):
        super().__init__(attrs)
        self.search_url, self.max_people, self.guests = search_url, max_people, guests

    def _render(self, template_name, context, renderer=None):
        # The project's templates (templates/accounts/), not the form renderer's own folders;
        # the template engine escapes and returns safe text itself.
        return render_to_string(template_name, context)

    def value_from_datadict(self, data, files, name):
        chosen = data.getlist(name) if hasattr(data, "getlist") else data.get(name, [])
        if not isinstance(chosen, list | tuple):  # one value, from a plain dict
            chosen = [chosen]
        return {"chosen": [str(v) for v in chosen], "text": data.get(f"{name}_text", "")}

    def value_omitted_from_data(self, data, files, name):
        return name not in data and f"{name}_text" not in data

    def format_value(self, value):
        return value or {"chips": [], "text": ""}

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"].update(
            search_url=self.search_url,
            max_people=self.max_people or "",
            guests=self.guests,
            results_id=f"{context['widget']['attrs'].get('id', name)}_results",
        )
        return context


class PeopleField(forms.Field):
    widget = PeoplePicker
    default_error_messages = {
        "required": _("Choisissez au moins une personne."),
        "unknown": _("Une personne choisie ne peut pas l'être ici : cherchez-la à nouveau."),
        "invalid_addresses": _("Adresses non valides : %(list)s"),
        "names": _(
            "« %(list)s » : choisissez la personne dans les résultats de la recherche, ou tapez son "
            "adresse e-mail."
        ),
        "not_here": _("Personne ici n'a l'adresse %(list)s : choisissez la personne dans la recherche."),
        "too_many_one": _("Choisissez une seule personne."),
        "too_many": _("%(max)s personnes au plus à la fois."),
        "too_long": _("Ce champ compte %(length)s caractères : %(max)s au plus."),
    }

    def __init__(
        self, *, queryset=None, guests=False, max_people=None, search_url="", text_max_length=2000, **kwargs
    ):
        self.guests, self.max_people, self.text_max_length = guests, max_people, text_max_length
        super().__init__(**kwargs)
        self.widget.attrs["maxlength"] = str(text_max_length)
        self.queryset = queryset if queryset is not None else User.objects.none()
        self.search_url = search_url

    @property
    def search_url(self) -> str:
        return self.widget.search_url

    @search_url.setter
    def search_url(self, url: str) -> None:
        self.widget.search_url = url
        self.widget.max_people, self.widget.guests = self.max_people, self.guests

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result.queryset = self.queryset
        return result

    # Reading what the page sent

    def _tokens(self, value) -> tuple[set[int], list[str]]:
        value = value or {}
        ids, entries = set(), []
        for token in value.get("chosen", []):
            match = USER_TOKEN.fullmatch(token.strip())
            if match:
                ids.add(int(match[1]))
            elif token.strip():
                entries.append(token.strip())
        return ids, entries + split_entries(value.get("text", ""))

    def to_python(self, value) -> Picked:
        if isinstance(value, Picked):
            return value
        text = (value or {}).get("text", "")
        if len(text) > self.text_max_length:
            raise self._error("too_long", length=len(text), max=self.text_max_length)
        ids, entries = self._tokens(value)
        addresses, invalid, names = [], [], []
        for entry in entries:
            if _valid(entry):
                addresses.append(entry.lower())
            else:
                (invalid if "@" in entry else names).append(entry)
        errors = []
        if invalid:
            errors.append(self._error("invalid_addresses", list=", ".join(invalid)))
        if names:
            errors.append(self._error("names", list=", ".join(names)))
        if errors:
            raise ValidationError(errors)
        addresses = list(dict.fromkeys(addresses))
        if len(ids) + len(addresses) > MAX_AT_ONCE:
            raise self._error("too_many", max=MAX_AT_ONCE)
        users = self._users(ids, addresses)
        emails = [a for a in addresses if a not in {u.email.lower() for u in users}]
        if emails and not self.guests:
            raise self._error("not_here", list=", ".join(emails))
        picked = Picked(users=users, emails=emails)
        if self.max_people and len(users) + len(emails) > self.max_people:
            raise self._error("too_many_one" if self.max_people == 1 else "too_many", max=self.max_people)
        return picked

    def _users(self, ids: set[int], addresses: list[str]) -> list[User]:
        """The people chosen by id, and those of the queryset whose address was typed (one query)."""
        if not ids and not addresses:
            return []
        # Addresses are compared lower-cased: an account may have been made with capitals.
        typed = [address.lower() for address in addresses]
        found = list(
            self.queryset.annotate(typed_email=Lower("email"))
            .filter(Q(pk__in=ids) | Q(typed_email__in=typed))
            .order_by("pk")
        )
        if not ids <= {u.pk for u in found}:
            raise self._error("unknown")
        return found

    def _error(self, code: str, **params) -> ValidationError:
        return ValidationError(self.error_messages[code] % params, code=code)

    def validate(self, value: Picked) -> None:
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")

    # Showing it again

    def prepare_value(self, value):
        """Chips for what was chosen (the page posted back, or an initial list of people)."""
        if isinstance(value, dict) and "chosen" in value:
            ids, entries = self._tokens({"chosen": value["chosen"]})
            people = self.queryset.filter(pk__in=ids).order_by("last_name", "first_name") if ids else []
            chips = [Chip(f"u{u.pk}", label_of(u)) for u in people]
            chips += [Chip(e, e, guest=True) for e in entries]
            return {"chips": chips, "text": value.get("text", "")}
        if isinstance(value, Picked):
            value = [*value.users, *value.emails]
        chips = [
            Chip(f"u{v.pk}", label_of(v)) if isinstance(v, User) else Chip(v, v, guest=True)
            for v in (value or [])
        ]
        return {"chips": chips, "text": ""}


def _valid(address: str) -> bool:
    try:
        validate_email(address)
    except ValidationError:
        return False
    return True


def search_query(request: HttpRequest) -> str:
    return (request.GET.get("q") or "")[:100].strip()


def results(
    request: HttpRequest,
    *,
    people: list[User],
    marks: dict[int, list[Mark]] | None = None,
    guests: bool = False,
) -> HttpResponse:
    """The results of a picker's search (search_people's list), each with its marks; an address
    typed in full is offered as a guest where the field takes guests."""
    query = search_query(request)
    marks = marks or {}
    rows = [
        {
            "user": user,
            "label": label_of(user),
            "marks": marks.get(user.pk, []),
            "blocked": any(m.blocks for m in marks.get(user.pk, [])),
        }
        for user in people[:PICKER_LIMIT]
    ]
    context = {
        "query": query,
        "rows": rows,
        "more": len(people) > PICKER_LIMIT,
        "guest": query.lower() if guests and _valid(query) else "",
        "guests": guests,
    }
    return render(request, "accounts/_picker_results.html", context)
