"""Forms only validate input; services do the work."""

from datetime import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import Network, User
from meetings import bounds
from meetings.kinds import Kind, group_kinds
from meetings.models import StandingGroup
from meetings.recurrence import BRUSSELS, Frequency, RuleSpec, build_rrule, check_rule

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
    place = forms.CharField(label=_("Lieu (adresse)"), max_length=300, required=False)
    online_link = forms.URLField(
        label=_("Lien de visioconférence"),
        required=False,
        assume_scheme="https",
        max_length=bounds.LINK_MAX_LENGTH,
    )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("place") and not cleaned.get("online_link") and not self.errors:
            raise ValidationError(_("Indiquez un lieu, un lien de visioconférence, ou les deux."))
        return cleaned


class GroupForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type de groupe"), choices=kind_choices(group_kinds()))
    network = forms.ModelChoiceField(label=_("Réseau"), queryset=Network.objects.none())
    name = forms.CharField(label=_("Nom du groupe"), max_length=160)
    description = text_field(_("Description"), bounds.GROUP_DESCRIPTION_MAX_LENGTH, rows=3, required=False)
    facilitators = forms.ModelMultipleChoiceField(
        label=_("Animateur·rice(s)"), queryset=User.objects.none(), help_text=_("Une ou deux personnes.")
    )
    substitute = forms.ModelChoiceField(label=_("Suppléant·e"), queryset=User.objects.none(), required=False)
    max_size = forms.IntegerField(
        label=_("Nombre maximum de membres"), min_value=2, max_value=200, required=False
    )
    charter = text_field(
        _("Charte de confidentialité"),
        bounds.CHARTER_MAX_LENGTH,
        rows=5,
        help_text=_("Chaque membre l'accepte avant de voir le détail des séances."),
    )

    def __init__(self, *args, networks, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = networks
        self.fields["facilitators"].queryset = people
        self.fields["substitute"].queryset = people

    def clean_facilitators(self):
        facilitators = self.cleaned_data["facilitators"]
        if not 1 <= len(facilitators) <= 2:
            raise ValidationError(_("Un groupe a un ou deux animateurs."))
        return facilitators


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
    user = forms.ModelChoiceField(label=_("Ajouter un membre"), queryset=User.objects.none())

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = people


class RapporteurForm(forms.Form):
    rapporteur = forms.ModelChoiceField(
        label=_("Rapporteur·e"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Personne"),
        help_text=_("Transmet les présences de chaque séance pour l'accréditation (INAMI), dans le mois."),
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rapporteur"].queryset = members


class MeetingForm(WhenMixin, PlaceMixin):
    kind = forms.ChoiceField(label=_("Type de réunion"), choices=Kind.choices)
    network = forms.ModelChoiceField(label=_("Réseau"), queryset=Network.objects.none())
    title = forms.CharField(label=_("Titre"), max_length=200)
    purpose = text_field(_("Objet"), bounds.PURPOSE_MAX_LENGTH, rows=3, required=False)
    capacity = forms.IntegerField(label=_("Nombre de places"), min_value=1, max_value=1000, required=False)
    draft = forms.BooleanField(
        label=_("Enregistrer comme brouillon (personne n'est prévenu)"), required=False
    )

    def __init__(self, *args, networks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = networks


class MeetingEditForm(WhenMixin, PlaceMixin):
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
    presenter = forms.ModelChoiceField(label=_("Présenté par"), queryset=User.objects.none(), required=False)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["presenter"].queryset = people


AgendaFormSet = forms.formset_factory(AgendaItemForm, extra=2, max_num=30)


class RecurrenceForm(PlaceMixin):
    """The recurrence builder: the shape of the rule, the first session and how the series ends."""

    ENDS_NEVER, ENDS_ON, ENDS_AFTER = "never", "on", "after"

    title = forms.CharField(label=_("Titre des séances"), max_length=200)
    purpose = text_field(_("Objet"), bounds.PURPOSE_MAX_LENGTH, rows=2, required=False)
    first_day = DayField(label=_("Première séance"))
    start_time = forms.TimeField(label=_("Début"), widget=TIME)
    end_time = forms.TimeField(label=_("Fin"), widget=TIME)
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
    capacity = forms.IntegerField(label=_("Nombre de places"), min_value=1, max_value=1000, required=False)

    def __init__(self, *args, require_place: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.require_place = require_place

    def clean(self):
        cleaned = forms.Form.clean(self)
        if self.require_place and not self.errors:
            PlaceMixin.clean(self)
        if self.errors:
            return cleaned
        day, start, end = cleaned["first_day"], cleaned["start_time"], cleaned["end_time"]
        cleaned["dtstart"] = datetime.combine(day, start, tzinfo=BRUSSELS)
        cleaned["duration"] = datetime.combine(day, end) - datetime.combine(day, start)
        try:
            cleaned["rrule"] = build_rrule(self.spec(cleaned))
            cleaned["dates"] = check_rule(cleaned["rrule"], cleaned["dtstart"], cleaned["duration"])
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned

    def spec(self, cleaned) -> RuleSpec:
        frequency = cleaned["frequency"]
        weekdays = tuple(cleaned.get("weekdays") or [cleaned["first_day"].weekday()])
        ends = cleaned["ends"]
        if ends == self.ENDS_ON and not cleaned.get("until"):
            raise ValidationError(_("Indiquez le dernier jour de la série."))
        if ends == self.ENDS_AFTER and not cleaned.get("count"):
            raise ValidationError(_("Indiquez le nombre de séances."))
        weekday = cleaned.get("weekday")
        return RuleSpec(
            frequency=frequency,
            interval=cleaned["interval"],
            weekdays=weekdays,
            nth=cleaned.get("nth") or 1,
            weekday=cleaned["first_day"].weekday() if weekday in (None, "") else weekday,
            month_day=cleaned.get("month_day") or cleaned["first_day"].day,
            until=cleaned.get("until") if ends == self.ENDS_ON else None,
            count=cleaned.get("count") if ends == self.ENDS_AFTER else None,
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
    people = forms.ModelMultipleChoiceField(
        label=_("Personnes du répertoire"), queryset=User.objects.none(), required=False
    )
    whole_group = forms.BooleanField(label=_("Tous les membres du groupe"), required=False)
    guests = text_field(
        _("Invités extérieurs (une adresse e-mail par ligne)"),
        bounds.GUEST_LIST_MAX_LENGTH,
        rows=3,
        required=False,
        help_text=_("Ils n'ont pas besoin de compte : ils répondent depuis l'e-mail."),
    )
    role = forms.ChoiceField(label=_("Rôle"), choices=[])

    def __init__(self, *args, people, roles, in_series: bool, has_group: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = people
        self.fields["role"].choices = roles
        self.fields["role"].initial = "participant"
        if not in_series:
            del self.fields["scope"]
        if not has_group:
            del self.fields["whole_group"]

    def clean_guests(self):
        addresses, invalid = [], []
        validator = forms.EmailField()
        for line in self.cleaned_data["guests"].replace(",", "\n").splitlines():
            if not line.strip():
                continue
            try:
                addresses.append(validator.clean(line.strip()).lower())
            except ValidationError:
                invalid.append(line.strip())
        if invalid:
            raise ValidationError(_("Adresses non valides : %(list)s") % {"list": ", ".join(invalid)})
        if len(addresses) > 500:
            raise ValidationError(_("500 invités au plus à la fois."))
        return addresses

    def clean(self):
        cleaned = super().clean()
        if (
            not (cleaned.get("people") or cleaned.get("whole_group") or cleaned.get("guests"))
            and not self.errors
        ):
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

    def __init__(self, *args, for_series: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if for_series:
            del self.fields["brings"]
            del self.fields["looking_for"]


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
