"""Forms only validate input; services do the work and the rules decide."""

from datetime import datetime, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Network, Organisation, Profession, User
from meetings.forms import DATE, TIME, PlaceMixin
from meetings.recurrence import BRUSSELS
from meetings.situations.models import ActionStatus, ConsentForm, LegalBasis, Member, MemberKind, Origin
from meetings.situations.models.situations import NEXT_STATUSES
from meetings.situations.policies import POLICIES


class SituationForm(forms.Form):
    network = forms.ModelChoiceField(label=_("Réseau"), queryset=Network.objects.none())
    code = forms.CharField(
        label=_("Pseudonyme de la situation"),
        max_length=40,
        help_text=_(
            "Des initiales et un mois, par exemple « M.B. 2026-07 » : jamais un nom ni une date de naissance."
        ),
    )
    origin = forms.ChoiceField(
        label=_("Comment la demande est arrivée"), choices=Origin.choices, widget=forms.RadioSelect
    )
    requester_email = forms.EmailField(
        label=_("E-mail du ou de la professionnel·le qui a demandé"),
        required=False,
        help_text=_("Un compte du répertoire : il ou elle recevra un retour quand la situation avance."),
    )
    requester_description = forms.CharField(
        label=_("Qui a demandé"),
        max_length=200,
        required=False,
        help_text=_("Par exemple : sa sœur, l'équipe de rue."),
    )
    trigger = forms.CharField(
        label=_("Ce qui a déclenché la demande"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Seulement ce qui est nécessaire."),
    )
    role = forms.CharField(label=_("Votre rôle auprès de la personne"), max_length=200, required=False)

    def __init__(self, *args, networks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = networks
        if len(networks) == 1:
            self.fields["network"].initial = networks.first()

    def clean_requester_email(self):
        email = self.cleaned_data["requester_email"].strip().lower()
        if not email:
            return None
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise ValidationError(_("Aucun compte du répertoire n'a cette adresse."))
        return user


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Nouveau statut"), choices=())
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, situation, **kwargs):
        super().__init__(*args, **kwargs)
        # No status chosen in advance: a change of status is a decision, not a default.
        self.fields["status"].choices = [
            ("", "—"),
            *((s.value, s.label) for s in NEXT_STATUSES[situation.status]),
        ]


class MemberForm(forms.Form):
    kind = forms.ChoiceField(label=_("Qui"), choices=MemberKind.choices, initial=MemberKind.PROFESSIONAL)
    directory_email = forms.EmailField(
        label=_("E-mail (répertoire ou contact)"),
        required=False,
        help_text=_("Une adresse du répertoire relie le membre à son compte."),
    )
    name = forms.CharField(label=pgettext_lazy("full name", "Nom"), max_length=200, required=False)
    profession = forms.ChoiceField(
        label=_("Discipline"), choices=[("", "—"), *Profession.choices], required=False
    )
    role = forms.CharField(label=_("Rôle ou mandat"), max_length=200, required=False)
    organisation = forms.ModelChoiceField(
        label=_("Service (répertoire)"), queryset=Organisation.objects.all(), required=False
    )
    organisation_name = forms.CharField(label=_("Service (hors répertoire)"), max_length=200, required=False)
    relation = forms.CharField(label=_("Lien avec la personne"), max_length=200, required=False)
    bound_by_secrecy = forms.BooleanField(
        label=_("Tenu·e au secret professionnel"),
        required=False,
        help_text=_("Pour un·e professionnel·le du répertoire, son profil le dit."),
    )
    clinical_role = forms.BooleanField(
        label=_("Intervient auprès de la personne"), required=False, initial=True
    )
    privileged_contact = forms.BooleanField(label=_("Contact privilégié"), required=False)
    since = forms.DateField(label=_("Depuis"), widget=DATE, required=False)
    until = forms.DateField(label=_("Jusqu'au"), widget=DATE, required=False)

    def __init__(self, *args, network=None, **kwargs):
        super().__init__(*args, **kwargs)
        if network is not None:
            self.fields["organisation"].queryset = network.organisations.all()

    def clean(self):
        cleaned = super().clean()
        email = (cleaned.get("directory_email") or "").lower()
        cleaned["user"] = User.objects.filter(email__iexact=email, is_active=True).first() if email else None
        cleaned["email"] = "" if cleaned["user"] else email
        return cleaned

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("directory_email", None)
        return data


class MemberEditForm(MemberForm):
    def __init__(self, *args, member: Member, **kwargs):
        initial = {
            "kind": member.kind,
            "directory_email": member.contact_email,
            "name": member.name,
            "profession": member.profession,
            "role": member.role,
            "organisation": member.organisation,
            "organisation_name": member.organisation_name,
            "relation": member.relation,
            "bound_by_secrecy": member.bound_by_secrecy,
            "clinical_role": member.clinical_role,
            "privileged_contact": member.privileged_contact,
            "since": member.since,
            "until": member.until,
        }
        super().__init__(*args, initial=initial, network=member.situation.network, **kwargs)
        self.fields["directory_email"].disabled = True
        self.fields["kind"].disabled = True


class MembersField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, member):
        extra = member.get_profession_display() if member.profession else member.get_kind_display()
        return f"{member.display_name} — {extra}"


class MemberField(forms.ModelChoiceField):
    def label_from_instance(self, member):
        return member.display_name


class ConsentRecordForm(forms.Form):
    basis = forms.ChoiceField(
        label=_("Base du partage"),
        choices=LegalBasis.choices,
        initial=LegalBasis.CONSENT,
        widget=forms.RadioSelect,
    )
    basis_reference = forms.CharField(
        label=_("Référence (cadre légal ou autorisation)"), max_length=200, required=False
    )
    given_on = forms.DateField(label=_("Date"), widget=DATE)
    form = forms.ChoiceField(
        label=_("Forme"), choices=ConsentForm.choices, widget=forms.RadioSelect, initial="oral"
    )
    document = forms.FileField(
        label=_("Formulaire signé (PDF ou photo, 10 Mo au plus)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )
    covered_members = MembersField(
        label=_("Qui peut être associé"), queryset=Member.objects.none(), required=False
    )
    shared_content = forms.CharField(
        label=_("Ce qui peut être partagé"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Par exemple : le suivi social et le traitement, pas l'histoire familiale."),
    )
    exclusions = forms.CharField(
        label=_("Personnes que la personne ne veut pas voir associées"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Une par ligne, par exemple « Dr Lemaire »."),
    )
    relatives_limits = forms.CharField(
        label=_("Limites pour les proches"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, situation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["covered_members"].queryset = situation.members.exclude(
            kind=MemberKind.PERSON
        ).select_related("user")

    def clean_exclusions(self):
        names = [line.strip() for line in self.cleaned_data["exclusions"].splitlines() if line.strip()]
        if any(len(name) > 200 for name in names):
            raise forms.ValidationError(_("Un nom tient en 200 caractères."))
        return names


class WithdrawForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class NoteForm(forms.Form):
    purpose = forms.CharField(
        label=_("En quoi ce partage aide la personne"),
        max_length=300,
        help_text=_(
            "Seulement ce qui est nécessaire : le partage sert la personne, pas l'échange pour l'échange."
        ),
    )
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 5}), max_length=4000)
    for_relatives = forms.BooleanField(label=_("Les proches peuvent la lire"), required=False)


class ConcertationForm(PlaceMixin, forms.Form):
    template = forms.ChoiceField(
        label=_("Cadre de la concertation"),
        choices=[(p.template.value, p.label) for p in POLICIES.values()],
        widget=forms.RadioSelect,
    )
    day = forms.DateField(label=_("Date"), widget=DATE)
    start_time = forms.TimeField(label=_("Début"), widget=TIME)
    minutes = forms.IntegerField(label=_("Durée (minutes)"), min_value=15, max_value=240, initial=60)
    invited = MembersField(label=_("Invité·es"), queryset=Member.objects.none(), required=False)
    facilitator = MemberField(label=_("Animation"), queryset=Member.objects.none(), required=False)
    invite_person = forms.BooleanField(label=_("Inviter la personne"), required=False, initial=True)
    person_not_invited_reason = forms.CharField(
        label=_("Si la personne n'est pas invitée : pourquoi"), max_length=300, required=False
    )
    purpose = forms.CharField(
        label=_("Objet"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, situation, **kwargs):
        super().__init__(*args, **kwargs)
        members = situation.members.exclude(kind=MemberKind.PERSON).select_related("user")
        self.fields["invited"].queryset = members
        self.fields["facilitator"].queryset = situation.members.filter(
            kind=MemberKind.PROFESSIONAL
        ).select_related("user")
        # The person is invited by default when an invitation can reach them; otherwise the form
        # asks how they are told, rather than failing on the first try.
        person = situation.members.filter(kind=MemberKind.PERSON).select_related("user").first()
        self.fields["invite_person"].initial = person is not None and bool(person.contact_email)

    def clean(self):
        cleaned = super().clean()
        day, start, minutes = cleaned.get("day"), cleaned.get("start_time"), cleaned.get("minutes")
        if day and start and minutes:
            cleaned["start"] = datetime.combine(day, start, tzinfo=BRUSSELS)
            cleaned["end"] = cleaned["start"] + timedelta(minutes=minutes)
        return cleaned


class ReportForm(forms.Form):
    participants = MembersField(label=_("Qui a pris part"), queryset=Member.objects.none())
    needs = forms.CharField(
        label=_("Besoins passés en revue"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    goals = forms.CharField(
        label=_("Objectifs partagés (un par ligne)"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    next_review = forms.DateField(label=_("Prochaine révision"), widget=DATE, required=False)

    def __init__(self, *args, situation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = situation.members.select_related("user")

    def clean_goals(self):
        goals = [line.strip() for line in self.cleaned_data["goals"].splitlines() if line.strip()]
        if any(len(goal) > 300 for goal in goals):
            raise forms.ValidationError(_("Un objectif tient en 300 caractères."))
        return goals


class ActionForm(forms.Form):
    description = forms.CharField(label=_("Action"), max_length=300)
    owner = MemberField(label=_("Qui s'en charge"), queryset=Member.objects.none())
    due_date = forms.DateField(label=_("Pour le"), widget=DATE)
    revision_date = forms.DateField(label=_("À revoir le"), widget=DATE, required=False)

    def __init__(self, *args, situation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = situation.members.select_related("user")


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ActionStatus.choices)


class HandoverForm(forms.Form):
    to = MemberField(label=_("À qui passer le relais"), queryset=Member.objects.none())
    note = forms.CharField(
        label=_("Note de passage de relais"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    keep_own_role = forms.BooleanField(label=_("Rester référent·e (en binôme)"), required=False)

    def __init__(self, *args, situation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = situation.members.filter(user__isnull=False).select_related("user")
