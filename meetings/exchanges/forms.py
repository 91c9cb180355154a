"""The forms of rounds, offers and applications: they read what is typed; the services decide.

An offer's dates are typed one per line, "09/03/2027 journée", "16/03/2027 matin" or
"après-midi" (ISO dates too; a date alone is a whole day). A person with one service in the
network does not choose it; with several, a select.
"""

import re
from datetime import date, datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from accounts.models import Network, Organisation, OrganisationKind, User
from meetings.exchanges.models import DayPart, ExchangeRound, Language, Offer

PART_WORDS = {
    "": DayPart.DAY,
    "journee": DayPart.DAY,
    "jour": DayPart.DAY,
    "journée": DayPart.DAY,
    "day": DayPart.DAY,
    "matin": DayPart.MORNING,
    "matinee": DayPart.MORNING,
    "matinée": DayPart.MORNING,
    "morning": DayPart.MORNING,
    "apres-midi": DayPart.AFTERNOON,
    "après-midi": DayPart.AFTERNOON,
    "apres midi": DayPart.AFTERNOON,
    "après midi": DayPart.AFTERNOON,
    "aprem": DayPart.AFTERNOON,
    "afternoon": DayPart.AFTERNOON,
    # Dutch and English, the other languages of the page.
    "dag": DayPart.DAY,
    "hele dag": DayPart.DAY,
    "voormiddag": DayPart.MORNING,
    "namiddag": DayPart.AFTERNOON,
    "whole day": DayPart.DAY,
    "full day": DayPart.DAY,
}
LINE = re.compile(r"^\s*(\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2})\s*(.*?)\s*$")


def parse_date_lines(text: str) -> list[tuple[date, str]]:
    """(day, part) for each line of TEXT; a ValidationError naming the first line not read."""
    dates = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        match = LINE.match(line)
        part = PART_WORDS.get(match.group(2).lower().strip(" ,;:()")) if match else None
        day = None
        if match and part is not None:
            raw = match.group(1)
            try:
                day = date.fromisoformat(raw) if "-" in raw else datetime.strptime(raw, "%d/%m/%Y").date()
            except ValueError:
                day = None
        if day is None:
            raise ValidationError(
                _(
                    "Ligne %(number)s, « %(line)s » : illisible. Écrivez une date par ligne, "
                    "par exemple « 09/03/2027 journée », « 16/03/2027 matin » ou « 16/03/2027 après-midi »."
                )
                % {"number": number, "line": line.strip()},
                code="date_line",
            )
        dates.append((day, part))
    return dates


def date_lines(dates) -> str:
    # In the page's language, each a word PART_WORDS reads back.
    words = {
        DayPart.DAY: pgettext("offer date line", "journée"),
        DayPart.MORNING: pgettext("offer date line", "matin"),
        DayPart.AFTERNOON: pgettext("offer date line", "après-midi"),
    }
    return "\n".join(f"{d.day:%d/%m/%Y} {words[d.part]}" for d in dates)


class ServiceErrors:
    """Puts a service's refusal on the field it is about (by its code), or above the form."""

    SERVICE_FIELDS: dict[str, str] = {}

    def add_service_error(self, error: ValidationError) -> None:
        field = self.SERVICE_FIELDS.get(getattr(error, "code", None) or "")
        if field not in self.fields or self.fields[field].widget.is_hidden:
            field = None
        self.add_error(field, error)


def _choose_among(field, items) -> None:
    """ITEMS (a list of rows) as FIELD's choices; one alone is chosen, hidden."""
    items = list(items)
    model = field.queryset.model if field.queryset is not None else type(items[0]) if items else None
    if model is not None:
        field.queryset = model.objects.filter(pk__in=[item.pk for item in items]).order_by("name")
    if len(items) == 1:
        # Disabled: the only choice is taken whatever is sent.
        field.widget = forms.HiddenInput()
        field.initial = items[0].pk
        field.disabled = True


def _organisation_field(form, organisations) -> None:
    _choose_among(form.fields["organisation"], organisations)


class RoundForm(ServiceErrors, forms.ModelForm):
    SERVICE_FIELDS = {
        "title": "title",
        "period": "visits_until",
        "deadline_past": "applications_until",
        "deadline_late": "applications_until",
        "dates": "applications_until",
    }

    class Meta:
        model = ExchangeRound
        fields = ["network", "title", "description", "applications_until", "visits_from", "visits_until"]
        widgets = {
            "applications_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "visits_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "visits_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, networks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].label = _("réseau")
        _choose_among(self.fields["network"], networks)

    def _post_clean(self):
        pass  # the service checks the period (the model's constraint would say it in English)

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in self.Meta.fields}


class OfferForm(ServiceErrors, forms.ModelForm):
    SERVICE_FIELDS = {
        "capacity": "capacity",
        "capacity_below_placements": "capacity",
        "no_date": "dates",
        "date_twice": "dates",
        "date_past": "dates",
        "date_outside": "dates",
        "confirmed_placement": "dates",
        "host_fixed": "organisation",
        "part": "dates",
        "organisation": "organisation",
        "contact": "contact",
        "languages": "languages",
        "activities": "activities",
        "undertaking": "undertaking",
    }

    languages = forms.MultipleChoiceField(
        label=_("langues parlées sur place"), choices=Language.choices, widget=forms.CheckboxSelectMultiple
    )
    dates = forms.CharField(
        label=_("dates d'accueil"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Une par ligne : « 09/03/2027 journée », « 16/03/2027 matin », « 23/03/2027 après-midi »."
        ),
    )

    class Meta:
        model = Offer
        fields = [
            "organisation",
            "contact",
            "capacity",
            "languages",
            "activities",
            "undertaking",
            "people_told",
        ]
        widgets = {
            "activities": forms.Textarea(attrs={"rows": 4}),
            "undertaking": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, organisations, contacts, **kwargs):
        super().__init__(*args, **kwargs)
        _organisation_field(self, organisations)
        self.fields["contact"].queryset = contacts
        self.fields["contact"].label_from_instance = lambda user: user.get_full_name() or user.email
        self.fields["capacity"].min_value = None  # the service says it, in its words
        self.fields["capacity"].widget.attrs.pop("min", None)
        if self.instance.pk and not self.is_bound:
            self.initial["dates"] = date_lines(self.instance.dates.all())

    def clean_dates(self):
        return parse_date_lines(self.cleaned_data["dates"])

    def _post_clean(self):
        pass  # the service checks everything, and says it in French

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in [*self.Meta.fields, "dates"]}


class ApplyForm(ServiceErrors, forms.Form):
    SERVICE_FIELDS = {
        "organisation": "organisation",
        "own_service": "organisation",
        "motivation": "motivation",
        "no_day": "available_days",
        "day_outside": "available_days",
        "day": "available_days",
        "languages": "languages",
        "wanted_kinds": "wanted_kinds",
        "undertaking": "accept_undertaking",
        "manager_email": "manager_email",
        "service_fixed": "organisation",
    }

    organisation = forms.ModelChoiceField(label=_("mon service"), queryset=Organisation.objects.none())
    motivation = forms.CharField(label=_("motivation"), widget=forms.Textarea(attrs={"rows": 4}))
    available_days = forms.MultipleChoiceField(
        label=_("dates où je suis disponible"), widget=forms.CheckboxSelectMultiple
    )
    languages = forms.MultipleChoiceField(
        label=_("langues que je parle"),
        choices=Language.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    wanted_kinds = forms.MultipleChoiceField(
        label=_("types de services que j'aimerais découvrir"),
        choices=OrganisationKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    offers_return = forms.BooleanField(
        label=_("mon service accueillerait quelqu'un en retour"),
        required=False,
        help_text=_(
            "Pas forcément le même jour : un·e collègue du service visité passe une journée chez nous."
        ),
    )
    manager_name = forms.CharField(label=_("responsable de mon service"), max_length=200, required=False)
    manager_email = forms.EmailField(
        label=_("son adresse e-mail"),
        required=False,
        help_text=_("Un e-mail lui demande l'accord de votre service, par un lien."),
    )
    accept_undertaking = forms.BooleanField(
        label=_("j'ai lu l'engagement de confidentialité du service d'accueil et je l'accepte"),
        required=False,
    )

    def __init__(self, *args, organisations, days, ticked=(), application=None, **kwargs):
        super().__init__(*args, **kwargs)
        from meetings.exchanges.services.offers import day_label

        _organisation_field(self, organisations)
        self.fields["available_days"].choices = [(day.isoformat(), day_label(day)) for day in days]
        if application is not None:
            self.initial.update(
                organisation=application.organisation_id,
                motivation=application.motivation,
                languages=application.languages,
                wanted_kinds=application.wanted_kinds,
                offers_return=application.offers_return,
                manager_name=application.manager_name,
                manager_email=application.manager_email,
            )
            ticked = sorted({*ticked, *application.available_days})
            if application.agreed:
                self.fields["manager_email"].help_text = _("L'accord de votre service est déjà enregistré.")
        self.initial["available_days"] = [
            str(day) if isinstance(day, str) else day.isoformat() for day in ticked
        ]

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data["available_days"] = [date.fromisoformat(day) for day in data["available_days"]]
        return data


def network_choices(user: User):
    return Network.objects.filter(coordinators=user).order_by("name")
