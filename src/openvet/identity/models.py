"""Accounts, role grants on the org tree, password history and API tokens."""

from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openvet.core.pii import EncryptedTextField, mask_id_number, mask_mobile
from openvet.core.policy import Grant
from openvet.core.roles import Role


class UserManager(BaseUserManager["User"]):
    def create_user(self, username: str, password: str | None = None, **extra: Any) -> "User":
        user = self.model(username=username, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, username: str, password: str | None = None, **extra: Any) -> "User":
        # Platform administrators are made with `openvet createadmin`, which grants the role.
        return self.create_user(username, password, **extra)


class User(AbstractBaseUser):
    """A person who signs in: student, teacher, staff, mentor, administrator or evaluator."""

    username = models.CharField(_("username"), max_length=64, unique=True)
    full_name = models.CharField(_("full name"), max_length=100)
    person_number = models.CharField(_("student or staff number"), max_length=32, blank=True)
    home_org = models.ForeignKey(
        "core.OrgUnit",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    email = models.EmailField(_("email"), blank=True)
    mobile = EncryptedTextField(_("mobile number"), blank=True, default="")
    mobile_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    id_number = EncryptedTextField(_("citizen ID number"), blank=True, default="")
    id_number_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    gender = models.CharField(_("gender"), max_length=1, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    must_change_password = models.BooleanField(_("must change password"), default=True)
    password_changed_at = models.DateTimeField(null=True, blank=True)
    date_joined = models.DateTimeField(default=timezone.now)
    language = models.CharField(_("language"), max_length=8, blank=True)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]
        constraints = [
            models.UniqueConstraint(
                fields=["home_org", "person_number"],
                condition=~Q(person_number=""),
                name="identity_user_person_number_unique",
            ),
            models.UniqueConstraint(
                fields=["mobile_digest"],
                condition=~Q(mobile_digest=""),
                name="identity_user_mobile_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.username})"

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.mobile)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    def get_grants(self) -> list[Grant]:
        """The user's role grants, read once per request (cached on the instance)."""
        cached: list[Grant] | None = getattr(self, "_grants_cache", None)
        if cached is None:
            # Plain values, not model instances: every request of a signed-in user reads them.
            rows = self.role_assignments.values_list("role", "org_id", "org__path", "expires_at")
            cached = [
                Grant(role=role, org_id=org_id, org_path=path, expires_at=expires_at)
                for role, org_id, path, expires_at in rows
            ]
            self._grants_cache = cached
        return cached

    def forget_grants(self) -> None:
        self.__dict__.pop("_grants_cache", None)


class RoleAssignment(models.Model):
    """A role held on an org node; it reaches the node and everything below it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    org = models.ForeignKey(
        "core.OrgUnit",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    granted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "org"], name="identity_roleassignment_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.role} @ {self.org_id}"


class PasswordHistory(models.Model):
    """Hashes of a user's recent passwords, so that none of the last few is reused."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=255)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"


class ApiToken(models.Model):
    """A personal access token. Only its SHA-256 digest is stored; the secret is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… {self.name}"

    @property
    def is_usable(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)
