"""The learning record store: statements, their search keys, documents and clients (ADR 0401).

One row per statement in ``Statement`` with the columns the statement queries filter on; the
statement itself as stored is the ``body`` JSON. ``StatementLink`` holds every agent and
activity a statement mentions anywhere (actor, object, context, sub-statement) for the
``related_agents`` / ``related_activities`` queries. Every row belongs to a school: the school
of the client that wrote it, or of the user whose learning event the platform recorded.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from openvet.core.pii import EncryptedTextField


class Client(models.Model):
    """An xAPI client of one school: HTTP Basic key and secret, allowed to read and/or write."""

    name = models.CharField(_("name"), max_length=120)
    school = models.ForeignKey(
        "core.OrgUnit", verbose_name=_("school"), on_delete=models.PROTECT, related_name="+"
    )
    key = models.CharField(_("key"), max_length=40, unique=True)
    # SHA-256 of a 32-byte random secret: unguessable, so no slow password hash (ADR 0404).
    secret_digest = models.CharField(max_length=64)
    can_read = models.BooleanField(_("may read"), default=False)
    can_write = models.BooleanField(_("may write"), default=False)
    # The xAPI version of the client's content: a request that names no version is refused
    # under it, as each specification asks (ADR 0418).
    xapi_version = models.CharField(
        _("xAPI version of its content"),
        max_length=5,
        choices=[("2.0.0", "xAPI 2.0"), ("1.0.3", "xAPI 1.0.3")],
        default="2.0.0",
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("xAPI client")
        verbose_name_plural = _("xAPI clients")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Statement(models.Model):
    statement_id = models.UUIDField(unique=True)
    # No index of its own: lrs_stmt_school_stored leads with the school (ADR 0421).
    school = models.ForeignKey(
        "core.OrgUnit", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    client = models.ForeignKey(Client, null=True, blank=True, on_delete=models.SET_NULL)
    stored = models.DateTimeField()
    timestamp = models.DateTimeField()
    verb_id = models.CharField(max_length=512)
    actor_key = models.CharField(max_length=512)
    object_key = models.CharField(max_length=512)
    registration = models.UUIDField(null=True, blank=True)
    voided = models.BooleanField(default=False)
    # The statement a StatementRef object points to (voiding or not): queries return the
    # statements that refer to a matching one.
    ref_target = models.UUIDField(null=True, blank=True)
    is_voiding = models.BooleanField(default=False)
    body = models.JSONField()

    class Meta:
        indexes = [
            models.Index(fields=["school", "stored"], name="lrs_stmt_school_stored"),
            models.Index(fields=["school", "actor_key", "stored"], name="lrs_stmt_actor"),
            models.Index(fields=["school", "object_key", "stored"], name="lrs_stmt_object"),
            models.Index(fields=["school", "verb_id", "stored"], name="lrs_stmt_verb"),
            models.Index(fields=["registration"], name="lrs_stmt_registration"),
            models.Index(fields=["ref_target"], name="lrs_stmt_ref_target"),
            # The statements that refer to another, in stored order: a page's referring
            # statements are read within the page's time window (ADR 0415).
            models.Index(
                fields=["school", "stored"],
                condition=models.Q(ref_target__isnull=False),
                name="lrs_stmt_refs",
            ),
        ]
        permissions = [
            ("view_learner_statements", _("Can read the learning records of own learners")),
            ("view_learning_analytics", _("Can read the learning analytics of a subtree")),
        ]

    def __str__(self) -> str:
        return str(self.statement_id)


class StatementId(models.Model):
    """The id of every stored statement, once: on PostgreSQL the statements table is
    partitioned by stored time and a unique index there must include it, so this table keeps
    ids unique across partitions, written by a trigger on every statement insert (ADR 0422).
    Unused on SQLite, where the statements table's own unique index does the same."""

    statement_id = models.UUIDField(primary_key=True)
    # The statement row's primary key: the same row moving to another month's partition
    # (its stored time changed) is let through, another row with the id is skipped.
    row_pk = models.BigIntegerField()
    stored = models.DateTimeField()

    def __str__(self) -> str:
        return str(self.statement_id)


class SchoolRetention(models.Model):
    """How long one school keeps its statements after they were stored, in days (0: every
    statement is kept); a school without one follows ``LRS_RETENTION_DAYS`` (ADR 0423)."""

    school = models.OneToOneField(
        "core.OrgUnit", verbose_name=_("school"), on_delete=models.CASCADE, related_name="+"
    )
    days = models.PositiveIntegerField(_("days statements are kept"))

    class Meta:
        verbose_name = _("statement retention of a school")
        verbose_name_plural = _("statement retention of schools")
        permissions = [
            ("manage_statement_partitions", _("Can see and make the monthly statement tables")),
        ]

    def __str__(self) -> str:
        return f"{self.school_id}: {self.days}"


class RetentionRun(models.Model):
    """One run of the retention job: when, and how many statements it removed in all
    (ADR 0425)."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    deleted = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M}: {self.deleted}"


class RetentionRemoval(models.Model):
    """How many statements of one school a run removed (a row for every school it checked)."""

    run = models.ForeignKey(RetentionRun, on_delete=models.CASCADE, related_name="removals")
    school = models.ForeignKey(
        "core.OrgUnit", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    deleted = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "run"], name="lrs_removal_school_run")
        ]

    def __str__(self) -> str:
        return f"{self.school_id}: {self.deleted}"


class StatementLink(models.Model):
    """An agent (by identifier) or activity (by IRI) mentioned anywhere in a statement."""

    # No index of its own: lrs_link_once leads with the statement (ADR 0421).
    statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, related_name="links", db_index=False
    )
    key = models.CharField(max_length=512)

    class Meta:
        indexes = [models.Index(fields=["key", "statement"], name="lrs_link_key")]
        constraints = [
            models.UniqueConstraint(fields=["statement", "key"], name="lrs_link_once"),
        ]

    def __str__(self) -> str:
        return self.key


class Attachment(models.Model):
    """Attachment content, once per SHA-256 (statements name it by ``sha2``)."""

    sha2 = models.CharField(max_length=64, primary_key=True)
    content_type = models.CharField(max_length=255)
    content = models.BinaryField()

    def __str__(self) -> str:
        return self.sha2


class Activity(models.Model):
    """The definition of an activity as merged from the statements of a school."""

    school = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, related_name="+")
    activity_id = models.CharField(max_length=512)
    definition = models.JSONField(default=dict)

    class Meta:
        verbose_name_plural = "activities"
        constraints = [
            models.UniqueConstraint(fields=["school", "activity_id"], name="lrs_activity_once"),
        ]

    def __str__(self) -> str:
        return self.activity_id


class DocumentKind(models.TextChoices):
    STATE = "state", _("State")
    ACTIVITY_PROFILE = "activity_profile", _("Activity profile")
    AGENT_PROFILE = "agent_profile", _("Agent profile")


class Document(models.Model):
    """A State, Activity Profile or Agent Profile document; unused keys are ''."""

    school = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=DocumentKind.choices)
    activity_id = models.CharField(max_length=512, blank=True, default="")
    agent_key = models.CharField(max_length=512, blank=True, default="")
    registration = models.CharField(max_length=36, blank=True, default="")
    document_id = models.CharField(max_length=512)
    content = models.BinaryField()
    content_type = models.CharField(max_length=255)
    etag = models.CharField(max_length=40)
    updated = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "school",
                    "kind",
                    "activity_id",
                    "agent_key",
                    "registration",
                    "document_id",
                ],
                name="lrs_document_once",
            ),
        ]

    def __str__(self) -> str:
        return self.document_id


class UpstreamVersion(models.TextChoices):
    V2 = "2.0.0", "xAPI 2.0"
    V1 = "1.0.3", "xAPI 1.0.3"


class Upstream(models.Model):
    """The LRS a school forwards its statements to (the province's), and how forwarding goes.

    Statements accepted while forwarding is on are queued in ``ForwardEntry`` in the same
    transaction and sent in queue order, retried with exponential backoff (ADR 0406).
    """

    school = models.OneToOneField(
        "core.OrgUnit", verbose_name=_("school"), on_delete=models.PROTECT, related_name="+"
    )
    endpoint = models.URLField(_("address of the upstream LRS"), max_length=500)
    key = models.CharField(_("key"), max_length=200)
    # Sent as HTTP Basic on every request, so it is kept encrypted, not hashed.
    secret = EncryptedTextField(_("secret"))
    version = models.CharField(
        _("xAPI version"),
        max_length=8,
        choices=UpstreamVersion.choices,
        default=UpstreamVersion.V2,
    )
    is_active = models.BooleanField(_("forwarding on"), default=True)
    failures = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    leased_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")
    last_error_at = models.DateTimeField(null=True, blank=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    sent_count = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("upstream LRS")
        verbose_name_plural = _("upstream LRSs")

    def __str__(self) -> str:
        return self.endpoint


class ForwardEntry(models.Model):
    """A statement waiting to be sent upstream; deleted once the upstream accepted it. The
    queue is read in ``id`` order, the order the statements were accepted in."""

    # No index of its own: lrs_forward_queue leads with the upstream (ADR 0421).
    upstream = models.ForeignKey(
        Upstream, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["upstream", "id"], name="lrs_forward_queue")]

    def __str__(self) -> str:
        return f"{self.upstream_id}:{self.statement_id}"


class WarningKind(models.TextChoices):
    INACTIVE = "inactive", _("No learning activity")
    ABSENCES = "absences", _("Missed classes")
    LOW_GRADE = "low_grade", _("Failed or low grade")
    FALLING = "falling", _("Falling activity")


class WarningRule(models.Model):
    """A school's setting of one early-warning rule (学业预警, ADR 0408): what counts
    (``threshold``) over how many days (``days``)."""

    school = models.ForeignKey(
        "core.OrgUnit", verbose_name=_("school"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("rule"), max_length=16, choices=WarningKind.choices)
    threshold = models.PositiveIntegerField(_("threshold"))
    days = models.PositiveIntegerField(_("over the last days"))
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("early-warning rule")
        verbose_name_plural = _("early-warning rules")
        constraints = [
            models.UniqueConstraint(fields=["school", "kind"], name="lrs_warningrule_once"),
        ]

    def __str__(self) -> str:
        return f"{self.school_id}:{self.kind}"


class WarningStatus(models.TextChoices):
    OPEN = "open", _("New")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    CLOSED = "closed", _("Closed")


class AcademicWarning(models.Model):
    """An early warning about one learner, raised by a rule, acknowledged and closed with a
    note by their counsellor. ``details`` holds the figures the reason is worded from."""

    school = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, related_name="+")
    learner = models.ForeignKey(
        "identity.User", verbose_name=_("student"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("rule"), max_length=16, choices=WarningKind.choices)
    details = models.JSONField(default=dict)
    status = models.CharField(
        _("status"), max_length=16, choices=WarningStatus.choices, default=WarningStatus.OPEN
    )
    raised_at = models.DateTimeField(_("raised"))
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        "identity.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        "identity.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("note"), blank=True, default="")

    class Meta:
        verbose_name = _("early warning")
        verbose_name_plural = _("early warnings")
        ordering = ["-raised_at", "-id"]
        indexes = [models.Index(fields=["school", "status"], name="lrs_warning_school_status")]
        constraints = [
            # At most one warning of a kind per learner is being dealt with at a time.
            models.UniqueConstraint(
                fields=["learner", "kind"],
                condition=~models.Q(status="closed"),
                name="lrs_warning_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.learner_id}:{self.kind}"
