"""Users and the directory: organisations (services), networks and professional profiles."""

from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts import inami
from accounts.text import fold


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who logs in with their e-mail address."""

    username = None
    email = models.EmailField(_("adresse e-mail"), unique=True)
    language = models.CharField(
        _("langue"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    # Accent- and case-folded " first last " (spaces around), for the people picker: a word typed
    # matches the start of a first or last name alike on SQLite and PostgreSQL ("hel" finds Hélène).
    search_name = models.CharField(max_length=320, editable=False, default="", db_index=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")
        ordering = ["last_name", "first_name"]

    def __str__(self):
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        self.search_name = self.build_search_name()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"first_name", "last_name"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_name"}
        super().save(*args, **kwargs)

    def build_search_name(self) -> str:
        return f" {fold(self.first_name)} {fold(self.last_name)} "


class OrganisationKind(models.TextChoices):
    CPAS = "public_welfare", _("CPAS")
    MENTAL_HEALTH = "mental_health", _("Service de santé mentale")
    MEDICAL_HOUSE = "medical_house", _("Maison médicale")
    GENERAL_PRACTICE = "general_practice", _("Médecine générale")
    HOSPITAL = "hospital", _("Hôpital / psychiatrie")
    ADDICTION = "addiction", _("Service spécialisé assuétudes")
    LOW_THRESHOLD = "low_threshold", _("Bas seuil / réduction des risques")
    MUNICIPAL = "municipal", _("Service communal")
    HOUSING = "housing", _("Logement")
    JUSTICE = "justice", _("Justice")
    YOUTH = "youth", _("Aide à la jeunesse")
    SELF_HELP = "self_help", _("Groupe d'entraide")
    OTHER = "other", _("Autre")


class Organisation(models.Model):
    """A service of the directory ("répertoire")."""

    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type de service"), max_length=32, choices=OrganisationKind.choices)
    sector = models.CharField(_("secteur"), max_length=120, blank=True)
    address = models.CharField(_("adresse"), max_length=200, blank=True)
    postcode = models.CharField(_("code postal"), max_length=10, blank=True)
    commune = models.CharField(_("commune"), max_length=100, blank=True)
    phone = models.CharField(_("téléphone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("site web"), blank=True)
    missions = models.TextField(_("missions"), blank=True)
    access_conditions = models.TextField(_("conditions d'accès"), blank=True)
    public_served = models.CharField(_("public"), max_length=300, blank=True)
    languages = models.CharField(
        _("langues"), max_length=120, blank=True, help_text=_("Par exemple : français, néerlandais, arabe")
    )
    waiting_time = models.CharField(_("délai d'attente habituel"), max_length=120, blank=True)
    contact_persons = models.TextField(
        _("personnes de contact"), blank=True, help_text=_("Une personne par ligne, avec sa fonction.")
    )
    last_verified = models.DateField(_("dernière vérification"), null=True, blank=True)
    # Accent- and case-folded copy of the searchable fields, so that one indexed LIKE works
    # the same on SQLite and PostgreSQL ("sante" finds "santé").
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = self.build_search_text()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    def build_search_text(self) -> str:
        # The kind is searchable in every UI language, whatever language saved the row.
        kind_labels = []
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                kind_labels.append(str(OrganisationKind(self.kind).label) if self.kind else "")
        parts = [self.name, self.commune, self.postcode, self.sector, self.public_served, *kind_labels]
        return fold(" | ".join(p for p in parts if p))


class Network(models.Model):
    """A care network, e.g. "Coordination toxicomanie Anderlecht"."""

    name = models.CharField(_("nom"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    organisations = models.ManyToManyField(
        Organisation, related_name="networks", blank=True, verbose_name=_("organisations membres")
    )
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="coordinated_networks",
        blank=True,
        verbose_name=_("coordinateurs"),
    )

    class Meta:
        verbose_name = _("réseau")
        verbose_name_plural = _("réseaux")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Profession(models.TextChoices):
    GP = "general_practitioner", _("Médecin généraliste")
    PSYCHIATRIST = "psychiatrist", _("Psychiatre")
    PSYCHOLOGIST = "psychologist", _("Psychologue")
    SOCIAL_WORKER = "social_worker", _("Assistant·e social·e")
    NURSE = "nurse", _("Infirmier·e")
    EDUCATOR = "educator", _("Éducateur·rice")
    PHARMACIST = "pharmacist", _("Pharmacien·ne")
    COORDINATOR = "coordinator", _("Coordinateur·rice")
    LAWYER = "lawyer", _("Juriste")
    OTHER = "other", _("Autre")


def default_meeting_budget(fte: Decimal) -> Decimal:
    """Eight hours of meetings a month for a full-time professional, pro rata."""
    return (Decimal(8) * Decimal(fte)).quantize(Decimal("0.1"))


class Professional(models.Model):
    """The professional side of a user: where they work, what they do, how much time they have."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="professional"
    )
    organisations = models.ManyToManyField(
        Organisation, related_name="professionals", blank=True, verbose_name=_("organisations")
    )
    profession = models.CharField(_("profession"), max_length=32, choices=Profession.choices)
    fte = models.DecimalField(
        _("temps de travail (ETP)"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0.05")), MaxValueValidator(Decimal("1.00"))],
    )
    bound_by_secrecy = models.BooleanField(_("tenu·e au secret professionnel"), default=True)
    languages = models.CharField(_("langues"), max_length=120, blank=True)
    monthly_meeting_budget = models.DecimalField(
        _("budget mensuel de réunions (heures)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("Vide : 8 heures × ETP."),
    )
    # Accreditation bodies identify doctors (and other care professions) by it: printed on
    # certificates and in attendance exports. Stored as its 11 digits.
    inami_number = models.CharField(
        _("numéro INAMI"), max_length=inami.LENGTH, blank=True, validators=[inami.validate]
    )

    class Meta:
        verbose_name = _("profil professionnel")
        verbose_name_plural = _("profils professionnels")

    def __str__(self):
        return f"{self.user} ({self.get_profession_display()})"

    @property
    def inami_display(self) -> str:
        return inami.display(self.inami_number)

    @property
    def meeting_budget_hours(self) -> Decimal:
        if self.monthly_meeting_budget is not None:
            return self.monthly_meeting_budget
        return default_meeting_budget(self.fte)
