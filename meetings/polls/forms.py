"""The forms of date polls: a new poll and its candidates, and who is asked. Validation only:
services.polls writes (and checks again)."""

import re
from datetime import date, datetime, time, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.functional import keep_lazy_text
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Network
from accounts.picker import PeopleField
from meetings import bounds
from meetings import rules as core
from meetings.forms import NTH, TIME, WEEKDAYS, DayField, PlaceMixin, network_choice, text_field
from meetings.kinds import POLICIES, Kind
from meetings.models import StandingGroup
from meetings.polls import rules
from meetings.polls.models import MAX_SLOTS, PollMode
from meetings.polls.services.polls import check_deadline, check_slots
from meetings.polls.slots import Candidate, at, generate, pattern, pattern_rule
from meetings.recurrence import BRUSSELS, MAX_DURATION, check_duration


@keep_lazy_text
def _monthly(nth) -> str:
    """ "le 3e … du mois", in the language of the page that shows it."""
    return gettext("le %(nth)s … du mois") % {"nth": nth}


MAX_PATTERNS = 4
MAX_WEEKS = 8
WEEKLY, FORTNIGHTLY = "weekly", "fortnightly"
RHYTHMS = [
    ("", _("—")),
    (WEEKLY, _("chaque semaine")),
    (FORTNIGHTLY, _("toutes les deux semaines")),
    *[(str(nth), _monthly(label)) for nth, label in NTH],
]
# The fields that make the candidates (what the preview is about).
GENERATED = ("gen_weekdays", "gen_start", "gen_end", "gen_first_day", "gen_weeks")
PATTERN_FIELDS = ("rhythm", "weekday", "start")
GENERATION_MISSING = {
    "gen_weekdays": _("Cochez au moins un jour pour générer les créneaux."),
    "gen_start": _("Indiquez l'heure de début des créneaux."),
    "gen_end": _("Indiquez l'heure de fin des créneaux, ou la durée plus haut."),
    "gen_first_day": _("Indiquez à partir de quel jour générer les créneaux."),
}

# "24/11/2026 12:30-14:00", "2026-11-24 12:30–14:00", "24.11.2026 12h30 - 14h", "2026-11-24T12:30".
_DAY = r"(?:(?P<d>\d{1,2})[./-](?P<m>\d{1,2})[./-](?P<y>\d{4})|(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2}))"
_TIME = r"(?P<{0}h>\d{{1,2}})(?:[:h](?P<{0}m>\d{{2}})?)?"
LINE = re.compile(
    rf"^\s*{_DAY}(?:\s+|T|\s*,\s*|\s+à\s+){_TIME.format('s')}(?:\s*[-–—]\s*|\s+à\s+){_TIME.format('e')}\s*$",
    re.IGNORECASE,
)
LINE_START_ONLY = re.compile(rf"^\s*{_DAY}(?:\s+|T|\s*,\s*|\s+à\s+){_TIME.format('s')}\s*$", re.IGNORECASE)


def _clock(hours: str | None, minutes: str | None) -> time:
    return time(int(hours), int(minutes or 0))


def parse_line(line: str, *, duration: timedelta | None) -> Candidate:
    """One candidate typed on one line; ValueError with the reason (in words) when it is not one."""
    match = LINE.match(line)
    if match is None:
        match = LINE_START_ONLY.match(line)
        if match is None:
            raise ValueError(gettext("écrivez la date puis les heures, par exemple 24/11/2026 12:30-14:00"))
        if duration is None:
            raise ValueError(gettext("indiquez l'heure de fin, ou la durée plus haut"))
        end_time = None
    else:
        end_time = (match["eh"], match["em"])
    try:
        if match["y"]:
            day = date(int(match["y"]), int(match["m"]), int(match["d"]))
        else:
            day = date(int(match["iy"]), int(match["im"]), int(match["id"]))
        start = at(day, _clock(match["sh"], match["sm"]))
        end = at(day, _clock(*end_time)) if end_time else start + duration
    except ValueError:
        raise ValueError(gettext("cette date ou cette heure n'existe pas")) from None
    if not bounds.is_within(day):
        raise ValueError(str(bounds.out_of_range_message()))
    return Candidate(start=start, end=end)


def _line_error(number: int, line: str, reason: str) -> ValidationError:
    return ValidationError(
        _("Ligne %(number)s (« %(line)s ») : %(reason)s.")
        % {"number": number, "line": line.strip(), "reason": reason},
        code="bad_line",
    )


def groups_for_new_polls(user, networks):
    """The groups whose poll USER may propose: those they manage, in NETWORKS."""
    return (
        StandingGroup.objects.filter(core.groups_managed_by(user), network__in=networks)
        .select_related("network")
        .order_by("name")
    )


class PollForm(PlaceMixin):
    """A new poll: what it will create, its candidates (generated, typed, or a series' patterns),
    and until when people answer. Only the candidates of the mode chosen apply: without
    JavaScript every field is on the page, and what was typed for the other mode is ignored."""

    network = forms.ModelChoiceField(label=_("Réseau"), queryset=Network.objects.none())
    kind = forms.ChoiceField(label=_("Type de réunion"), choices=Kind.choices)
    group = forms.ModelChoiceField(
        label=_("Groupe"),
        queryset=StandingGroup.objects.none(),
        required=False,
        empty_label=_("aucun groupe"),
        help_text=_("Pour les séances d'un groupe que vous animez."),
    )
    mode = forms.ChoiceField(
        label=_("Le sondage choisit"),
        choices=PollMode.choices,
        initial=PollMode.MEETING,
        widget=forms.RadioSelect,
    )
    title = forms.CharField(label=_("Titre"), max_length=200)
    purpose = text_field(_("Objet"), bounds.PURPOSE_MAX_LENGTH, rows=2, required=False)
    duration = forms.IntegerField(
        label=_("Durée (minutes)"),
        min_value=5,
        max_value=int(MAX_DURATION.total_seconds() // 60),
        required=False,
        error_messages={"max_value": _("Une réunion ne peut pas durer plus de 12 heures.")},
        help_text=_(
            "Pour une série : la durée de chaque séance. Pour une réunion, si vous la laissez vide : "
            "celle des créneaux proposés."
        ),
    )
    deadline_day = DayField(label=_("Réponses attendues jusqu'au"))
    deadline_time = forms.TimeField(label=_("à"), widget=TIME, initial=time(18, 0))
    private = forms.BooleanField(
        label=_("Sondage privé"),
        required=False,
        help_text=_(
            "Les participants ne voient ni les noms ni les réponses des autres, pas même dans les "
            "e-mails ni dans l'invitation finale. Vous seul·e (et qui anime le groupe) les voyez."
        ),
    )
    # (a) generated: "mardis et jeudis 12:30–14:00 pendant 3 semaines"
    gen_weekdays = forms.TypedMultipleChoiceField(
        label=_("Les jours"),
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    gen_start = forms.TimeField(label=_("De"), widget=TIME, required=False)
    gen_end = forms.TimeField(label=_("À"), widget=TIME, required=False)
    gen_first_day = DayField(label=_("À partir du"), required=False)
    gen_weeks = forms.IntegerField(
        label=_("Pendant (semaines)"), min_value=1, max_value=MAX_WEEKS, required=False, initial=1
    )
    # (b) one per line
    slot_lines = forms.CharField(
        label=_("Créneaux, un par ligne"),
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "24/11/2026 12:30-14:00"}),
        required=False,
        max_length=6000,
        help_text=_("Par exemple « 24/11/2026 12:30-14:00 » ou « 2026-11-24 12:30–14:00 »."),
    )
    # (c) a series: its number of sessions, and up to four patterns (fields added in __init__)
    session_count = forms.IntegerField(
        label=_("Nombre de séances"), min_value=2, max_value=52, required=False, initial=10
    )

    field_order = ["network", "kind", "group", "mode", "title", "purpose", "place", "online_link", "duration"]

    def __init__(self, *args, user, now: datetime | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.now = now or timezone.now()
        networks = rules.networks_for_new_polls(user)
        network_choice(self.fields["network"], networks, None)
        self.fields["group"].queryset = groups_for_new_polls(user, networks)
        for index in range(MAX_PATTERNS):
            self.fields[f"pattern_{index}_rhythm"] = forms.ChoiceField(
                label=_("Rythme"), choices=RHYTHMS, required=False
            )
            self.fields[f"pattern_{index}_weekday"] = forms.TypedChoiceField(
                label=_("Jour"), choices=WEEKDAYS, coerce=int, required=False, initial=1
            )
            self.fields[f"pattern_{index}_start"] = forms.TimeField(
                label=_("Heure"), widget=TIME, required=False
            )
        self.candidates: list[Candidate] = []

    # The page's groups of fields

    def pattern_rows(self) -> list[list]:
        return [[self[f"pattern_{i}_{name}"] for name in PATTERN_FIELDS] for i in range(MAX_PATTERNS)]

    def candidate_fields(self) -> set[str]:
        names = {
            *GENERATED,
            "slot_lines",
            "session_count",
            "duration",
            "deadline_day",
            "deadline_time",
            "mode",
        }
        return names | {f"pattern_{i}_{name}" for i in range(MAX_PATTERNS) for name in PATTERN_FIELDS}

    # Validation

    def clean(self):
        cleaned = forms.Form.clean(self)
        self.check_place_or_link(cleaned)
        minutes = cleaned.get("duration")
        cleaned["duration_delta"] = timedelta(minutes=minutes) if minutes else None
        self._clean_deadline(cleaned)
        if cleaned.get("mode") == PollMode.SERIES:
            self.candidates = self._patterns(cleaned)
        else:
            self.candidates = self._generated(cleaned) + self._lines(cleaned)
            if self.candidates and cleaned["duration_delta"] is None:
                first = min(self.candidates, key=lambda c: c.start)
                cleaned["duration_delta"] = first.end - first.start
        self._check_candidates(cleaned)
        self._check_who(cleaned)
        cleaned["candidates"] = self.candidates
        return cleaned

    def _clean_deadline(self, cleaned) -> None:
        day, moment = cleaned.get("deadline_day"), cleaned.get("deadline_time")
        cleaned["deadline"] = None
        if day and moment:
            deadline = datetime.combine(day, moment, tzinfo=BRUSSELS)
            try:
                check_deadline(deadline, now=self.now)
            except ValidationError as error:
                self.add_error("deadline_day", error)
            else:
                cleaned["deadline"] = deadline

    def _generated(self, cleaned) -> list[Candidate]:
        given = [
            name for name in GENERATED if name != "gen_weeks" and cleaned.get(name) not in (None, [], "")
        ]
        if not given or any(name in self.errors for name in GENERATED):
            return []
        missing = {"gen_weekdays", "gen_start", "gen_first_day"} - set(given)
        if "gen_end" not in given and cleaned["duration_delta"] is None:
            missing.add("gen_end")
        for name in sorted(missing):
            self.add_error(name, ValidationError(GENERATION_MISSING[name], code="required"))
        if missing:
            return []
        start = cleaned["gen_start"]
        end = cleaned.get("gen_end")
        if end is None:
            end = (datetime.combine(date(2000, 1, 1), start) + cleaned["duration_delta"]).time()
        try:
            check_duration(datetime.combine(date.min, end) - datetime.combine(date.min, start))
        except ValidationError as error:
            self.add_error("gen_end", error)
            return []
        found = generate(
            weekdays=cleaned["gen_weekdays"],
            start=start,
            end=end,
            first_day=cleaned["gen_first_day"],
            weeks=cleaned.get("gen_weeks") or 1,
        )
        if not found:
            self.add_error(
                "gen_weekdays", ValidationError(_("Ces jours ne donnent aucun créneau."), code="no_slot")
            )
        elif found[0].start <= self.now:
            self.add_error(
                "gen_first_day", ValidationError(_("Un créneau proposé est déjà passé."), code="slot_past")
            )
            return []
        return found

    def _lines(self, cleaned) -> list[Candidate]:
        text = cleaned.get("slot_lines") or ""
        found, errors = [], []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                candidate = parse_line(line, duration=cleaned["duration_delta"])
                check_duration(candidate.end - candidate.start)
            except ValueError as error:
                errors.append(_line_error(number, line, str(error)))
                continue
            except ValidationError as error:
                errors.append(_line_error(number, line, error.messages[0].rstrip(".").lower()))
                continue
            if candidate.start <= self.now:
                errors.append(_line_error(number, line, gettext("ce créneau est déjà passé")))
                continue
            found.append(candidate)
        if errors:
            self.add_error("slot_lines", errors)
        return found

    def _patterns(self, cleaned) -> list[Candidate]:
        count, duration = cleaned.get("session_count"), cleaned["duration_delta"]
        chosen = [i for i in range(MAX_PATTERNS) if cleaned.get(f"pattern_{i}_rhythm")]
        if not chosen:
            return []
        if count is None and "session_count" not in self.errors:
            self.add_error(
                "session_count", ValidationError(_("Indiquez le nombre de séances."), code="required")
            )
        if duration is None and "duration" not in self.errors:
            self.add_error(
                "duration", ValidationError(_("Indiquez la durée de chaque séance."), code="required")
            )
        # The first session comes after the answers: from the day after the deadline.
        after = max(cleaned.get("deadline") or self.now, self.now)
        found = []
        for index in chosen:
            rhythm = cleaned[f"pattern_{index}_rhythm"]
            weekday, start = cleaned.get(f"pattern_{index}_weekday"), cleaned.get(f"pattern_{index}_start")
            if start is None and f"pattern_{index}_start" not in self.errors:
                self.add_error(
                    f"pattern_{index}_start",
                    ValidationError(_("Indiquez l'heure des séances."), code="required"),
                )
            if weekday in (None, "") and f"pattern_{index}_weekday" not in self.errors:
                self.add_error(
                    f"pattern_{index}_weekday", ValidationError(_("Choisissez le jour."), code="required")
                )
            if start is None or weekday in (None, ""):
                continue
            if count is None or duration is None:
                continue
            rule = pattern_rule(
                nth=None if rhythm in (WEEKLY, FORTNIGHTLY) else int(rhythm),
                weekday=weekday,
                count=count,
                interval=2 if rhythm == FORTNIGHTLY else 1,
            )
            found.append(pattern(rule=rule, start=start, duration=duration, after=after))
        return found

    def _check_candidates(self, cleaned) -> None:
        series = cleaned.get("mode") == PollMode.SERIES
        where = "pattern_0_rhythm" if series else "slot_lines"
        about = self.candidate_fields() - {"deadline_day", "deadline_time", "mode"}
        if any(name in self.errors for name in about):
            return
        if not self.candidates:
            message = (
                _("Proposez au moins un rythme de séances.")
                if series
                else _("Proposez au moins un créneau : générez-les ou tapez-les, un par ligne.")
            )
            self.add_error(where, ValidationError(message, code="no_slot"))
            return
        unique = {(c.start, c.rrule) for c in self.candidates}
        if len(unique) > MAX_SLOTS:
            self.add_error(
                where,
                ValidationError(
                    _("Un sondage propose au plus %(max)s créneaux (ici %(count)s).")
                    % {"max": MAX_SLOTS, "count": len(unique)},
                    code="too_many_slots",
                ),
            )
            return
        try:
            check_slots(self.candidates, now=self.now)
        except ValidationError as error:
            self.add_error(where, error)

    def _check_who(self, cleaned) -> None:
        network, kind, group = cleaned.get("network"), cleaned.get("kind"), cleaned.get("group")
        mode = cleaned.get("mode") or PollMode.MEETING
        if network is None or not kind:
            return
        policy = POLICIES[kind]
        if group is not None:
            if group.network_id != network.pk or group.kind != kind:
                self.add_error(
                    "group",
                    ValidationError(
                        _("Le groupe choisi n'est pas de ce type ou de ce réseau."), code="group_mismatch"
                    ),
                )
                return
        elif policy.runs_as_group:
            self.add_error(
                "group",
                ValidationError(
                    _("Les séances d'un %(kind)s se décident avec son groupe : choisissez-le.")
                    % {"kind": policy.label},
                    code="group_required",
                ),
            )
            return
        elif mode == PollMode.SERIES and policy.is_confidential:
            self.add_error(
                "kind",
                ValidationError(
                    _("Une série sans groupe est une série de réunions ouvertes au réseau."),
                    code="series_kind",
                ),
            )
            return
        if not rules.can_create_poll(self.user, network, kind, group, mode):
            message = (
                _("Seule la coordination du réseau peut programmer une série sans groupe.")
                if mode == PollMode.SERIES
                else _("Seule la coordination du réseau peut proposer ce type de réunion.")
            )
            self.add_error("kind", ValidationError(message, code="not_allowed"))

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        series = data["mode"] == PollMode.SERIES
        return {
            "network": data["network"],
            "organiser": self.user,
            "title": data["title"],
            "kind": data["kind"],
            "group": data.get("group"),
            "mode": data["mode"],
            "purpose": data.get("purpose", ""),
            "place": data.get("place", ""),
            "online_link": data.get("online_link", ""),
            "duration": data["duration_delta"],
            "deadline": data["deadline"],
            "candidates": self.candidates,
            "session_count": data.get("session_count") if series else None,
            "private": data.get("private", False),
            "now": self.now,
        }

    # A refusal of the service, shown beside the field it is about.
    SERVICE_FIELDS = {
        "no_slot": "slot_lines",
        "too_many_slots": "slot_lines",
        "slot_past": "slot_lines",
        "deadline_past": "deadline_day",
        "deadline_far": "deadline_day",
        "group_mismatch": "group",
        "end_before_start": "duration",
        "too_long": "duration",
        "pattern_missing": "pattern_0_rhythm",
    }

    def add_service_error(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                self.add_error(name if name in self.fields else None, errors)
            return
        field = self.SERVICE_FIELDS.get(getattr(error, "code", None) or "")
        self.add_error(field, error)


class ParticipantsForm(forms.Form):
    """Who to ask: people of the poll's network (the picker), a whole group, addresses."""

    people = PeopleField(
        label=_("Des membres du réseau"),
        required=False,
        guests=True,
        help_text=_(
            "Tapez un nom pour chercher parmi les membres du réseau, ou l'adresse e-mail d'une personne "
            "extérieure."
        ),
    )
    group = forms.ModelChoiceField(
        label=_("Tout un groupe"), queryset=StandingGroup.objects.none(), required=False, empty_label=_("—")
    )
    emails = forms.CharField(
        label=_("Des personnes extérieures (adresses e-mail, une par ligne)"),
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off", "spellcheck": "false"}),
        required=False,
        max_length=bounds.GUEST_LIST_MAX_LENGTH,
        help_text=_("Elles n'ont pas besoin de compte : elles répondent depuis l'e-mail."),
    )
    required = forms.BooleanField(label=_("Présence indispensable"), required=False)

    def __init__(self, *args, people, groups, search_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = people
        self.fields["people"].search_url = search_url
        self.fields["group"].queryset = groups

    def clean_emails(self) -> list[str]:
        addresses, invalid = [], []
        for entry in re.split(r"[\n\r,;]+", self.cleaned_data.get("emails") or ""):
            entry = entry.strip()
            if not entry:
                continue
            try:
                validate_email(entry)
            except ValidationError:
                invalid.append(entry)
            else:
                addresses.append(entry.lower())
        if invalid:
            raise ValidationError(
                _("Adresses non valides : %(list)s") % {"list": ", ".join(invalid)}, code="invalid_addresses"
            )
        return list(dict.fromkeys(addresses))

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not (cleaned.get("people") or cleaned.get("group") or cleaned.get("emails")):
            raise ValidationError(
                _("Choisissez au moins une personne, un groupe ou une adresse."), code="nobody"
            )
        return cleaned
