"""Forms only validate input; services do the work."""

from datetime import datetime, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import Network, User
from accounts.picker import PeopleField
from meetings import bounds, rsvp
from meetings.kinds import POLICIES, Kind, group_kinds
from meetings.models import InvitationRole, PartStat, StandingGroup
from meetings.recurrence import (
    BRUSSELS,
    MAX_DURATION,
    Frequency,
    RuleSpec,
    build_rrule,
    check_first_session,
    check_rule,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
WEEKDAYS = [
    (0, _("lundi")),
    (1, _("mardi")),
    (2, _("mercredi")),
    (3, _("jeudi")),
    (4, _("vendredi")),
    (5, _("samedi")),
    (6, _("dimanche")),
]
NTH = [(1, _("1er")), (2, _("2e")), (3, _("3e")), (4, _("4e")), (-1, _("dernier"))]


class DayField(forms.DateField):
    """A day within meetings.bounds (from 2000 to five years ahead), refused beside the field."""

    widget = DATE

    def validate(self, value):
        super().validate(value)
        if value is not None and not bounds.is_within(value):
            raise ValidationError(bounds.out_of_range_message(), code="date_out_of_range")


def text_field(label, max_length: int, *, rows: int, **kwargs) -> forms.CharField:
    """A free text in a textarea, at most MAX_LENGTH characters (meetings.bounds says why)."""
    return forms.CharField(
        label=label, widget=forms.Textarea(attrs={"rows": rows}), max_length=max_length, **kwargs
    )


def kind_choices(kinds) -> list[tuple[str, str]]:
    return [(p.kind.value, p.label) for p in kinds]


class WhenMixin(forms.Form):
    """A day and a start and end time, entered in Brussels time."""

    day = DayField(label=_("Date"))
    start_time = forms.TimeField(label=_("Début"), widget=TIME)
    end_time = forms.TimeField(label=_("Fin"), widget=TIME)

    def clean(self):
        cleaned = super().clean()
        day, start, end = cleaned.get("day"), cleaned.get("start_time"), cleaned.get("end_time")
        if day and start and end:
            cleaned["start"] = datetime.combine(day, start, tzinfo=BRUSSELS)
            cleaned["end"] = datetime.combine(day, end, tzinfo=BRUSSELS)
            if cleaned["end"] <= cleaned["start"]:
                self.add_error("end_time", _("La fin doit être après le début."))
        return cleaned


class PlaceMixin(forms.Form):
    """A place, a video link, or both: one rule over two fields, labelled as such on the page
    (templates/_place_or_link.html) and refused beside the place when both are empty."""

    place = forms.CharField(label=_("Lieu (adresse)"), max_length=300, required=False)
    online_link = forms.URLField(
        label=_("Lien de visioconférence"),
        required=False,
        assume_scheme="https",
        max_length=bounds.LINK_MAX_LENGTH,
    )

    def clean(self):
        cleaned = super().clean()
        self.check_place_or_link(cleaned)
        return cleaned

    def check_place_or_link(self, cleaned) -> None:
        # A field already refused (too long, not a link) says so itself: no second message.
        if "place" in self.errors or "online_link" in self.errors:
            return
        if not cleaned.get("place") and not cleaned.get("online_link"):
            self.add_error(
                "place",
                ValidationError(
                    _("Indiquez un lieu, un lien de visioconférence, ou les deux."), code="place_or_link"
                ),
            )


def duration_field() -> forms.IntegerField:
    return forms.IntegerField(
        label=_("Durée (minutes)"),
        min_value=5,
        max_value=int(MAX_DURATION.total_seconds() // 60),
        error_messages={"max_value": _("Une réunion ne peut pas durer plus de 12 heures.")},
    )


def default_minutes(kind: str | None) -> int:
    """The kind's usual length, offered before anyone types one."""
    policy = POLICIES.get(kind or "")
    return int(policy.default_duration.total_seconds() // 60) if policy else 60


class SeenDuplicatesField(forms.Field):
    """The ids of the possible duplicates the person was shown and saves anyway ("12,40")."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def to_python(self, value) -> frozenset[int]:
        parts = str(value or "")[:2000].split(",")
        return frozenset(int(part) for part in parts if part.strip().isascii() and part.strip().isdigit())

    def prepare_value(self, value):
        if isinstance(value, (set, frozenset, list, tuple)):
            return ",".join(str(pk) for pk in sorted(value))
        return value


def network_choice(field: forms.ModelChoiceField, networks, usual) -> None:
    """The network is chosen for the person when there is nothing to choose, else their usual one."""
    field.queryset = networks
    if len(networks) == 1:
        field.initial = networks[0].pk
        field.widget = forms.HiddenInput()
    elif usual is not None:
        field.initial = usual.pk


class GroupForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type de groupe"), choices=kind_choices(group_kinds()))
    network = forms.ModelChoiceField(label=_("Réseau"), queryset=Network.objects.none())
    name = forms.CharField(label=_("Nom du groupe"), max_length=160)
    description = text_field(_("Description"), bounds.GROUP_DESCRIPTION_MAX_LENGTH, rows=3, required=False)
    facilitators = PeopleField(
        label=_("Animateur·rice(s)"), max_people=2, help_text=_("Une ou deux personnes : tapez leur nom.")
    )
    substitute = PeopleField(label=_("Suppléant·e"), max_people=1, required=False)
    max_size = forms.IntegerField(
        label=_("Nombre maximum de membres"), min_value=2, max_value=200, required=False
    )
    charter = text_field(
        _("Charte de confidentialité"),
        bounds.CHARTER_MAX_LENGTH,
        rows=5,
        help_text=_("Chaque membre l'accepte avant de voir le détail des séances."),
    )

    def __init__(self, *args, networks, people, search_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = networks
        for name in ("facilitators", "substitute"):
            self.fields[name].queryset = people
            self.fields[name].search_url = search_url

    def clean_facilitators(self):
        facilitators = self.cleaned_data["facilitators"].users
        if not 1 <= len(facilitators) <= 2:
            raise ValidationError(_("Un groupe a un ou deux animateurs."))
        return facilitators

    def clean_substitute(self):
        picked = self.cleaned_data["substitute"]
        return picked.users[0] if picked.users else None


class CharterForm(forms.Form):
    charter = text_field(_("Charte de confidentialité"), bounds.CHARTER_MAX_LENGTH, rows=8)


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Un mot pour l'animateur·rice"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=1000,
    )


class AddMemberForm(forms.Form):
    people = PeopleField(
        label=_("Ajouter un membre"),
        help_text=_("Tapez un nom : seules les personnes du réseau qui ne sont pas membres sont proposées."),
    )

    def __init__(self, *args, people, search_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = people
        self.fields["people"].search_url = search_url


class IdsField(forms.Field):
    """Ids ticked in a list the page drew (the view keeps only those it offered)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> set[int]:
        numbers = (str(v) for v in (value or [])[:500])
        return {int(v) for v in numbers if v.isascii() and v.isdigit() and len(v) <= 12}


class RapporteurForm(forms.Form):
    # A group reaches hundreds of members: a search among them, not a drop-down of them all.
    rapporteur = PeopleField(
        label=_("Rapporteur·e"),
        max_people=1,
        required=False,
        help_text=_("Transmet les présences de chaque séance pour l'accréditation (INAMI), dans le mois."),
    )

    def __init__(self, *args, members, search_url: str = "", **kwargs):
        """MEMBERS: whom the coordinator may name (the group's members who see its details)."""
        super().__init__(*args, **kwargs)
        self.fields["rapporteur"].queryset = members
        self.fields["rapporteur"].search_url = search_url

    def chosen(self) -> User | None:
        """The person named once the form is valid (None: nobody)."""
        picked = self.cleaned_data["rapporteur"]
        return picked.users[0] if picked.users else None


class MeetingForm(PlaceMixin):
    """A new meeting, its fields in the order people think of them: what, when, where."""

    field_order = [
        "kind",
        "network",
        "title",
        "day",
        "start_time",
        "duration",
        "place",
        "online_link",
        "purpose",
        "capacity",
        "draft",
    ]

    kind = forms.ChoiceField(label=_("Type de réunion"), choices=Kind.choices)
    network = forms.ModelChoiceField(label=_("Réseau"), queryset=Network.objects.none())
    title = forms.CharField(label=_("Titre"), max_length=200)
    day = DayField(label=_("Date"))
    start_time = forms.TimeField(label=_("Début"), widget=TIME)
    duration = duration_field()
    purpose = text_field(_("Objet"), bounds.PURPOSE_MAX_LENGTH, rows=3, required=False)
    capacity = forms.IntegerField(label=_("Nombre de places"), min_value=1, max_value=1000, required=False)
    draft = forms.BooleanField(
        label=_("Enregistrer comme brouillon (personne n'est prévenu)"), required=False
    )
    seen_duplicates = SeenDuplicatesField()

    def __init__(self, *args, networks, usual_network=None, **kwargs):
        super().__init__(*args, **kwargs)
        network_choice(self.fields["network"], networks, usual_network)
        if "duration" not in self.initial:
            self.fields["duration"].initial = default_minutes(self.initial.get("kind"))

    def clean(self):
        cleaned = super().clean()
        day, start, minutes = cleaned.get("day"), cleaned.get("start_time"), cleaned.get("duration")
        if day and start and minutes:
            cleaned["start"] = datetime.combine(day, start, tzinfo=BRUSSELS)
            cleaned["end"] = cleaned["start"] + timedelta(minutes=minutes)
        return cleaned


class MeetingEditForm(WhenMixin, PlaceMixin):
    field_order = [
        "scope",
        "title",
        "day",
        "start_time",
        "end_time",
        "place",
        "online_link",
        "purpose",
        "capacity",
    ]
    SCOPE_THIS = "this"
    SCOPE_FOLLOWING = "following"
    scope = forms.ChoiceField(
        label=_("Appliquer à"),
        choices=[
            (SCOPE_THIS, _("cette séance seulement")),
            (SCOPE_FOLLOWING, _("cette séance et les suivantes")),
        ],
        initial=SCOPE_THIS,
        widget=forms.RadioSelect,
        required=False,
    )
    title = forms.CharField(label=_("Titre"), max_length=200)
    purpose = text_field(_("Objet"), bounds.PURPOSE_MAX_LENGTH, rows=3, required=False)
    capacity = forms.IntegerField(label=_("Nombre de places"), min_value=1, max_value=1000, required=False)

    def __init__(self, *args, in_series: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not in_series:
            del self.fields["scope"]


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Point"), max_length=200, required=False)
    planned_minutes = forms.IntegerField(label=_("Minutes"), min_value=1, max_value=720, required=False)
    presenter = PeopleField(label=_("Présenté par"), max_people=1, required=False, text_max_length=320)

    def __init__(self, *args, people=None, search_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["presenter"].queryset = people
        self.fields["presenter"].search_url = search_url

    def clean_presenter(self):
        picked = self.cleaned_data["presenter"]
        return picked.users[0] if picked.users else None


AgendaFormSet = forms.formset_factory(AgendaItemForm, extra=2, max_num=30)


class RecurrenceForm(PlaceMixin):
    """The recurrence builder: the first session, the shape of the rule and how the series ends.

    Only the fields of the chosen repetition and of the chosen end apply: without JavaScript they
    are all on the page, and whatever was typed in the others is ignored (and never refused)."""

    ENDS_NEVER, ENDS_ON, ENDS_AFTER = "never", "on", "after"
    FREQUENCY_FIELDS = {
        Frequency.WEEKLY: ("weekdays",),
        Frequency.MONTHLY_NTH_WEEKDAY: ("nth", "weekday"),
        Frequency.MONTHLY_DAY: ("month_day",),
    }
    ENDS_FIELDS = {ENDS_NEVER: (), ENDS_ON: ("until",), ENDS_AFTER: ("count",)}
    RULE_FIELDS = ("first_day", "start_time", "duration", "frequency", "interval", "ends")

    title = forms.CharField(label=_("Titre des séances"), max_length=200)
    first_day = DayField(label=_("Première séance"))
    start_time = forms.TimeField(label=_("Début"), widget=TIME)
    duration = duration_field()
    frequency = forms.ChoiceField(
        label=_("Répétition"),
        choices=[
            (Frequency.WEEKLY, _("toutes les N semaines, certains jours")),
            (Frequency.MONTHLY_NTH_WEEKDAY, _("chaque mois, le n-ième jour de la semaine (« le 3e jeudi »)")),
            (Frequency.MONTHLY_DAY, _("chaque mois, le même jour du mois")),
        ],
        initial=Frequency.WEEKLY,
    )
    interval = forms.IntegerField(label=_("Toutes les"), min_value=1, max_value=52, initial=1)
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Jours"), choices=WEEKDAYS, coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    nth = forms.TypedChoiceField(label=_("Le"), choices=NTH, coerce=int, initial=1, required=False)
    weekday = forms.TypedChoiceField(label=_("Jour"), choices=WEEKDAYS, coerce=int, initial=3, required=False)
    month_day = forms.IntegerField(label=_("Jour du mois"), min_value=1, max_value=31, required=False)
    ends = forms.ChoiceField(
        label=_("Fin de la série"),
        choices=[
            (ENDS_NEVER, _("pas de fin prévue")),
            (ENDS_ON, _("à une date")),
            (ENDS_AFTER, _("après un nombre de séances")),
        ],
        initial=ENDS_NEVER,
        widget=forms.RadioSelect,
    )
    until = DayField(label=_("Dernier jour"), required=False)
    count = forms.IntegerField(label=_("Nombre de séances"), min_value=1, required=False)
    purpose = text_field(_("Objet"), bounds.PURPOSE_MAX_LENGTH, rows=2, required=False)
    capacity = forms.IntegerField(label=_("Nombre de places"), min_value=1, max_value=1000, required=False)
    seen_duplicates = SeenDuplicatesField()

    def __init__(self, *args, require_place: bool = True, kind: str | None = None, taken_titles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.require_place = require_place
        # Two series of one group are told apart in lists by their titles.
        self.taken_titles = list(taken_titles)
        if self.taken_titles:
            self.fields["title"].help_text = _(
                "Ce groupe a déjà : %(titles)s. Un titre qui distingue celle-ci, par exemple par son jour."
            ) % {"titles": ", ".join(f"« {t} »" for t in self.taken_titles)}
        self.fields["duration"].initial = default_minutes(kind)
        # The dates the rule gives when the first session is not one of them (for the preview).
        self.rule_dates: list[datetime] = []

    def clean_title(self):
        title = self.cleaned_data["title"]
        if title.casefold() in {t.casefold() for t in self.taken_titles}:
            raise ValidationError(
                _("Ce groupe a déjà une série « %(title)s » : donnez à celle-ci un titre qui la distingue.")
                % {"title": title},
                code="title_taken",
            )
        return title

    def clean(self):
        cleaned = forms.Form.clean(self)
        self.ignore_fields_that_do_not_apply(cleaned)
        if self.require_place:
            self.check_place_or_link(cleaned)
        frequency, ends = cleaned.get("frequency"), cleaned.get("ends")
        if ends == self.ENDS_ON and cleaned.get("until") is None and "until" not in self.errors:
            self.add_error(
                "until", ValidationError(_("Indiquez le dernier jour de la série."), code="required")
            )
        if ends == self.ENDS_AFTER and cleaned.get("count") is None and "count" not in self.errors:
            self.add_error("count", ValidationError(_("Indiquez le nombre de séances."), code="required"))
        needed = (
            *self.RULE_FIELDS,
            *self.FREQUENCY_FIELDS.get(frequency, ()),
            *self.ENDS_FIELDS.get(ends, ()),
        )
        if any(name in self.errors for name in needed):
            return cleaned
        day, start = cleaned["first_day"], cleaned["start_time"]
        cleaned["dtstart"] = datetime.combine(day, start, tzinfo=BRUSSELS)
        cleaned["duration"] = timedelta(minutes=cleaned["duration"])
        try:
            cleaned["rrule"] = build_rrule(self.spec(cleaned))
            cleaned["dates"] = check_rule(cleaned["rrule"], cleaned["dtstart"], cleaned["duration"])
        except ValidationError as error:
            self.add_error(self.field_of(error), error)
            return cleaned
        try:
            check_first_session(cleaned["rrule"], cleaned["dtstart"], cleaned["dates"])
        except ValidationError as error:
            self.rule_dates = cleaned["dates"]
            self.add_error("first_day", error)
        return cleaned

    def ignore_fields_that_do_not_apply(self, cleaned) -> None:
        applying = {
            *self.FREQUENCY_FIELDS.get(cleaned.get("frequency"), ()),
            *self.ENDS_FIELDS.get(cleaned.get("ends"), ()),
        }
        optional = {
            name for names in (*self.FREQUENCY_FIELDS.values(), *self.ENDS_FIELDS.values()) for name in names
        }
        for name in optional - applying:
            self.errors.pop(name, None)
            cleaned[name] = None

    def field_of(self, error: ValidationError) -> str | None:
        """The field a refusal of the rule is about, to show it there."""
        code = getattr(error, "code", None)
        if code == "until_before_start":
            return "until"
        if code == "too_many" and self.cleaned_data.get("ends") == self.ENDS_AFTER:
            return "count"
        if code in ("end_before_start", "too_long"):
            return "duration"
        return None

    def spec(self, cleaned) -> RuleSpec:
        first_day = cleaned["first_day"]
        weekday = cleaned.get("weekday")
        return RuleSpec(
            frequency=cleaned["frequency"],
            interval=cleaned["interval"],
            weekdays=tuple(cleaned.get("weekdays") or [first_day.weekday()]),
            nth=cleaned.get("nth") or 1,
            weekday=first_day.weekday() if weekday in (None, "") else weekday,
            month_day=cleaned.get("month_day") or first_day.day,
            until=cleaned.get("until"),
            count=cleaned.get("count"),
        )


class InviteForm(forms.Form):
    SCOPE_MEETING, SCOPE_SERIES = "meeting", "series"

    scope = forms.ChoiceField(
        label=_("Inviter à"),
        choices=[(SCOPE_MEETING, _("cette réunion")), (SCOPE_SERIES, _("toutes les séances de la série"))],
        initial=SCOPE_SERIES,
        widget=forms.RadioSelect,
        required=False,
    )
    people = PeopleField(
        label=_("Qui inviter"),
        guests=True,
        required=False,
        text_max_length=bounds.GUEST_LIST_MAX_LENGTH,
        help_text=_(
            "Tapez un nom pour chercher dans le réseau, ou l'adresse e-mail d'une personne extérieure "
            "(plusieurs : séparées par une virgule ou un retour à la ligne). Les personnes extérieures "
            "n'ont pas besoin de compte : elles répondent depuis l'e-mail."
        ),
    )
    whole_group = forms.BooleanField(label=_("Tout le groupe"), required=False)
    role = forms.ChoiceField(label=_("Rôle"), choices=[])
    # The confirmation step (closed groups): whom to add to the group, and who was warned about.
    add_to_group = IdsField(required=False)
    warned = forms.CharField(
        widget=forms.HiddenInput, required=False, max_length=bounds.GUEST_LIST_MAX_LENGTH
    )

    def __init__(
        self,
        *args,
        people,
        roles,
        in_series: bool,
        has_group: bool,
        search_url: str = "",
        group_size: int = 0,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = people
        self.fields["people"].search_url = search_url
        self.fields["role"].choices = roles
        self.fields["role"].initial = "participant"
        if not in_series:
            del self.fields["scope"]
        if not has_group:
            del self.fields["whole_group"]
        else:
            self.fields["whole_group"].label = ngettext(
                "Tout le groupe (%(count)s membre)", "Tout le groupe (%(count)s membres)", group_size
            ) % {"count": group_size}

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("people") or cleaned.get("whole_group")) and not self.errors:
            raise ValidationError(_("Choisissez au moins une personne, le groupe ou une adresse."))
        return cleaned


class AnswerForm(forms.Form):
    partstat = forms.ChoiceField(
        label=_("Ma réponse"),
        choices=[
            ("ACCEPTED", _("Je viens")),
            ("TENTATIVE", _("Peut-être")),
            ("DECLINED", _("Je ne viens pas")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Un commentaire"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )
    brings = forms.CharField(
        label=_("Ce que j'apporte"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )
    looking_for = forms.CharField(
        label=_("Ce que je cherche"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args, for_series: bool, minutes_only: bool = False, **kwargs):
        """MINUTES_ONLY: whether this invitee may answer "envoyez-moi le compte rendu"."""
        super().__init__(*args, **kwargs)
        if minutes_only:
            self.fields["partstat"].choices = [
                *self.fields["partstat"].choices,
                (rsvp.MINUTES_ONLY, _("Je ne viens pas : envoyez-moi le compte rendu")),
            ]
        if for_series:
            del self.fields["brings"]
            del self.fields["looking_for"]

    def clean(self):
        """The minutes-only choice is an answer (not coming) and a role: services.answer."""
        cleaned = super().clean()
        if "partstat" in cleaned:
            cleaned["minutes_only"] = cleaned["partstat"] == rsvp.MINUTES_ONLY
            if cleaned["minutes_only"]:
                cleaned["partstat"] = PartStat.DECLINED
        return cleaned


class RoleForm(forms.Form):
    """The role the organiser gives one invitee from the invitations page (services.change_role)."""

    role = forms.ChoiceField(
        choices=[
            (InvitationRole.PARTICIPANT, InvitationRole.PARTICIPANT.label),
            (InvitationRole.OPTIONAL, InvitationRole.OPTIONAL.label),
            (InvitationRole.MINUTES_ONLY, InvitationRole.MINUTES_ONLY.label),
        ]
    )


class GroupRulesForm(forms.ModelForm):
    """What a group sets for its sessions: attendance rule, accreditation, vignette retention."""

    class Meta:
        model = StandingGroup
        fields = [
            "attendance_minimum",
            "cycle_start",
            "accreditation_reference",
            "accreditation_points",
            "vignette_retention_days",
        ]
        widgets = {"cycle_start": DATE}
        field_classes = {"cycle_start": DayField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.policy.written_case_material:
            del self.fields["vignette_retention_days"]
