"""Forms for after the meeting: outcome, follow-up actions, corrections and feedback."""

from django import forms
from django.core.validators import MaxLengthValidator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.picker import PeopleField
from meetings.forms import DayField


class OutcomeForm(forms.Form):
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), required=False)
    decisions = forms.CharField(
        label=_("Décisions"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=10_000,
        help_text=_("Une décision par ligne."),
    )
    confirm_anonymous = forms.BooleanField(
        label=_("Je confirme que ce compte rendu ne permet d'identifier personne."), required=False
    )

    def __init__(self, *args, policy, **kwargs):
        super().__init__(*args, **kwargs)
        summary = self.fields["summary"]
        summary.label, summary.help_text = policy.outcome_label, policy.outcome_guidance
        # The kind's length, in the form (a message beside the field, and maxlength in the page) as
        # in the service.
        summary.validators.append(MaxLengthValidator(policy.outcome_max_length))
        summary.widget.attrs["maxlength"] = str(policy.outcome_max_length)
        if not policy.records_decisions:
            del self.fields["decisions"]
        # Nothing to confirm where identifying passages are never kept (or never looked for).
        if not policy.checks_outcome_for_identities or policy.refuses_identities_in_outcome:
            del self.fields["confirm_anonymous"]

    def decision_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("decisions", "").splitlines() if line.strip()]


class ActionForm(forms.Form):
    description = forms.CharField(label=_("Action"), max_length=300, required=False)
    owner = PeopleField(
        label=_("Qui"),
        max_people=1,
        required=False,
        help_text=_("Tapez un nom : une personne invitée ou membre du groupe."),
    )
    due_date = DayField(label=_("Pour quand"), required=False)

    def __init__(self, *args, owners=None, search_url: str = "", **kwargs):
        """OWNERS: whom the action may go to (a queryset, or a list of people)."""
        super().__init__(*args, **kwargs)
        if owners is None:
            owners = User.objects.none()
        elif not isinstance(owners, QuerySet):
            owners = User.objects.filter(pk__in=[u.pk for u in owners])
        self.fields["owner"].queryset = owners
        self.fields["owner"].search_url = search_url

    def clean_owner(self):
        picked = self.cleaned_data["owner"]
        return picked.users[0] if picked.users else None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("description", "").strip():
            # A field refused already (a day out of bounds) says why itself.
            if not cleaned.get("owner") and "owner" not in self.errors:
                self.add_error("owner", _("Chaque action a une personne qui s'en charge."))
            if not cleaned.get("due_date") and "due_date" not in self.errors:
                self.add_error("due_date", _("Chaque action a une échéance."))
        elif cleaned.get("owner") or cleaned.get("due_date"):
            self.add_error("description", _("Décrivez l'action."))
        return cleaned


ActionFormSet = forms.formset_factory(ActionForm, extra=3, max_num=30)


class FeedbackForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Cette réunion vous a-t-elle été utile ?"),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("1 : pas du tout, 5 : tout à fait."),
    )
    comment = forms.CharField(
        label=_("Un commentaire ?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        help_text=_("L'organisateur lit les commentaires sans savoir qui les a écrits."),
    )
