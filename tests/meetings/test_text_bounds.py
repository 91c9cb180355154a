"""Every free text people submit has a maximum length, refused beside the field with a French
message, nothing saved; a meeting's purpose of 100,000 characters reaches no e-mail or calendar."""

from html import unescape

import pytest
from django import forms
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.forms import DirectorySearchForm, InamiNumberForm, InviteProfessionalForm, OrganisationForm
from accounts.models import Network, Organisation, User
from meetings import bounds
from meetings.attendance.forms import CorrectionForm, ExportPeriodForm, NetworkExportForm, PeriodForm
from meetings.calendar.forms import SubscriptionForm
from meetings.followup.forms import ActionForm, FeedbackForm, OutcomeForm
from meetings.followup.models import Action
from meetings.followup.services import outcomes as out
from meetings.forms import (
    AddMemberForm,
    AgendaItemForm,
    AnswerForm,
    CharterForm,
    GroupForm,
    GroupRulesForm,
    InviteForm,
    JoinRequestForm,
    MeetingEditForm,
    MeetingForm,
    RapporteurForm,
    RecurrenceForm,
    RoleForm,
)
from meetings.kinds import POLICIES, Kind
from meetings.models import Meeting, StandingGroup
from meetings.vignettes.forms import DecisionForm, VignetteForm

pytestmark = pytest.mark.django_db

NONE = {"networks": Network.objects.none(), "people": User.objects.none()}

# Each form of meetings/, its capability apps and accounts, built as its view builds it.
FORMS = {
    "MeetingForm": lambda: MeetingForm(networks=NONE["networks"]),
    "MeetingEditForm": lambda: MeetingEditForm(in_series=True),
    "RecurrenceForm": lambda: RecurrenceForm(),
    "GroupForm": lambda: GroupForm(**NONE),
    "CharterForm": lambda: CharterForm(),
    "JoinRequestForm": lambda: JoinRequestForm(),
    "AddMemberForm": lambda: AddMemberForm(people=NONE["people"]),
    "RapporteurForm": lambda: RapporteurForm(members=NONE["people"]),
    "AgendaItemForm": lambda: AgendaItemForm(),
    "InviteForm": lambda: InviteForm(
        people=NONE["people"], roles=[("participant", "participant")], in_series=True, has_group=True
    ),
    "AnswerForm": lambda: AnswerForm(for_series=False, minutes_only=True),
    "RoleForm": lambda: RoleForm(),
    "GroupRulesForm": lambda: GroupRulesForm(instance=StandingGroup(kind=Kind.INTERVISION)),
    "OutcomeForm": lambda: OutcomeForm(policy=POLICIES[Kind.INTERVISION]),
    "ActionForm": lambda: ActionForm(),
    "FeedbackForm": lambda: FeedbackForm(),
    "CorrectionForm": lambda: CorrectionForm(),
    "PeriodForm": lambda: PeriodForm(groups=StandingGroup.objects.none()),
    "ExportPeriodForm": lambda: ExportPeriodForm(),
    "NetworkExportForm": lambda: NetworkExportForm(networks=NONE["networks"]),
    "VignetteForm": lambda: VignetteForm(),
    "DecisionForm": lambda: DecisionForm(),
    "SubscriptionForm": lambda: SubscriptionForm(),
    "DirectorySearchForm": lambda: DirectorySearchForm(),
    "OrganisationForm": lambda: OrganisationForm(instance=Organisation()),
    "InviteProfessionalForm": lambda: InviteProfessionalForm(networks=NONE["networks"]),
    "InamiNumberForm": lambda: InamiNumberForm(),
}
# Bounded elsewhere, on purpose: the vignette's text by the anonymiser's clean_text (its message
# says how to split a long situation); a decision's replacement and reason are cut to their length
# by the service, and the check page caps them (a longer one is a forged row, refused as stale).
BOUNDED_ELSEWHERE = {("VignetteForm", "text"), ("DecisionForm", "custom"), ("DecisionForm", "reason")}


def max_length(field) -> int | None:
    lengths = [v.limit_value for v in field.validators if v.__class__.__name__ == "MaxLengthValidator"]
    return min(lengths) if lengths else None


def test_every_form_of_the_apps_is_listed_here():
    import inspect

    import accounts.forms
    import meetings.attendance.forms
    import meetings.calendar.forms
    import meetings.followup.forms
    import meetings.forms
    import meetings.vignettes.forms

    modules = [
        accounts.forms,
        meetings.forms,
        meetings.attendance.forms,
        meetings.calendar.forms,
        meetings.followup.forms,
        meetings.vignettes.forms,
    ]
    found = {
        name
        for module in modules
        for name, value in vars(module).items()
        if inspect.isclass(value)
        and issubclass(value, forms.BaseForm)
        and value.__module__ == module.__name__
        and value.base_fields
        and not name.endswith("Mixin")
    }

    # MarkForm: a status and a number; PublicFeedForm: a choice and a confirmation — no text.
    assert found - {"MarkForm", "PublicFeedForm"} == set(FORMS)


@pytest.mark.parametrize("name", sorted(FORMS))
def test_every_free_text_has_a_maximum_length(name):
    form = FORMS[name]()
    texts = {
        field_name: field
        for field_name, field in form.fields.items()
        if type(field) in (forms.CharField, forms.URLField, forms.EmailField)
        and not isinstance(field.widget, forms.HiddenInput)
    }

    unbounded = [
        field_name
        for field_name, field in texts.items()
        if max_length(field) is None and (name, field_name) not in BOUNDED_ELSEWHERE
    ]

    assert unbounded == []


@pytest.mark.parametrize(
    ("name", "field", "limit"),
    [
        ("MeetingForm", "purpose", 2_000),
        ("MeetingEditForm", "purpose", 2_000),
        ("RecurrenceForm", "purpose", 2_000),
        ("GroupForm", "description", 2_000),
        ("GroupForm", "charter", 10_000),
        ("CharterForm", "charter", 10_000),
        ("MeetingForm", "online_link", 200),
        ("VignetteForm", "names", 2_000),
        ("OrganisationForm", "missions", 3_000),
        ("OrganisationForm", "access_conditions", 2_000),
        ("OrganisationForm", "contact_persons", 1_000),
    ],
)
def test_the_lengths_chosen_for_each_text(name, field, limit):
    form = FORMS[name]()

    assert max_length(form.fields[field]) == limit
    assert form.fields[field].widget.attrs["maxlength"] == str(limit)


def test_the_invitation_picker_takes_as_many_addresses_as_the_old_guest_list():
    form = FORMS["InviteForm"]()
    too_long = InviteForm(
        {"people_text": "a" * 40_001, "role": "participant"},
        people=NONE["people"],
        roles=[("participant", "participant")],
        in_series=False,
        has_group=False,
    )

    assert form.fields["people"].text_max_length == bounds.GUEST_LIST_MAX_LENGTH == 40_000
    assert 'maxlength="40000"' in str(form["people"])
    assert not too_long.is_valid()
    assert too_long.errors["people"] == ["Ce champ compte 40001 caractères : 40000 au plus."]


def test_a_purpose_of_100_000_characters_is_refused_and_nothing_is_saved(client, world):
    client.force_login(world.users["coordinator"])
    data = {
        "kind": Kind.THEMATIC,
        "network": world.network.pk,
        "title": "Une longue réunion",
        "day": "2026-12-10",
        "start_time": "09:30",
        "duration": "120",
        "place": "CPAS",
        "purpose": ("Présentation du dispositif. " * 3_600)[:100_000],
        "agenda-TOTAL_FORMS": "0",
        "agenda-INITIAL_FORMS": "0",
    }

    response = client.post(reverse("meetings:meeting_create"), data)

    assert response.status_code == 200
    assert "comporte au plus 2000 caractères (actuellement 100000)" in unescape(response.content.decode())
    assert not Meeting.objects.filter(title="Une longue réunion").exists()
    assert mail.outbox == []


def test_a_purpose_of_2_000_characters_is_accepted(client, world):
    client.force_login(world.users["coordinator"])
    purpose = ("Présentation du dispositif. " * 80)[: bounds.PURPOSE_MAX_LENGTH - 1] + "."
    data = {
        "kind": Kind.THEMATIC,
        "network": world.network.pk,
        "title": "Une réunion",
        "day": "2026-12-10",
        "start_time": "09:30",
        "duration": "120",
        "place": "CPAS",
        "purpose": purpose,
        "agenda-TOTAL_FORMS": "0",
        "agenda-INITIAL_FORMS": "0",
    }

    response = client.post(reverse("meetings:meeting_create"), data)

    assert response.status_code == 302
    assert Meeting.objects.get(title="Une réunion").purpose == purpose


def test_a_long_charter_edit_is_refused_and_the_charter_stays(client, world):
    client.force_login(world.users["facilitator"])
    before = (world.group.charter, world.group.charter_version)

    response = client.post(
        reverse("meetings:charter_edit", args=[world.group.pk]), {"charter": "Confidentialité. " * 700}
    )

    world.group.refresh_from_db()
    assert "comporte au plus 10000 caractères" in unescape(response.content.decode())
    assert (world.group.charter, world.group.charter_version) == before


def test_a_long_directory_text_is_refused_and_the_entry_stays(client, world):
    organisation = world.users["facilitator"].professional.organisations.get()
    client.force_login(world.users["coordinator"])
    data = {
        "name": organisation.name,
        "kind": organisation.kind,
        "missions": "Accueil et orientation. " * 200,
    }

    response = client.post(reverse("accounts:organisation_edit", args=[organisation.pk]), data)

    organisation.refresh_from_db()
    assert response.status_code == 200
    assert "comporte au plus 3000 caractères" in unescape(response.content.decode())
    assert organisation.missions == ""


def test_a_long_reason_to_drop_an_action_is_refused(world):
    meeting = world.concertation
    out.outcome_record(
        meeting=meeting,
        by=world.users["facilitator"],
        summary="La sortie est préparée.",
        actions=[out.NewAction("Appeler le service social", world.users["member"], meeting.start.date())],
        now=meeting.end,
    )
    action = Action.objects.get()

    with pytest.raises(ValidationError) as error:
        out.action_drop(action=action, by=world.users["member"], reason="Plus nécessaire. " * 30)

    action.refresh_from_db()
    assert error.value.code == "reason_too_long"
    assert "300 caractères au plus" in error.value.messages[0]
    assert (action.status, action.drop_reason) == ("open", "")
