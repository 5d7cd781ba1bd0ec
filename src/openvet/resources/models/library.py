"""Resources of the teaching resource libraries, their files, certification and nominations.

A resource is described by Dublin Core and IEEE LOM fields (the basis of CELTS-3); its files
are content-addressed blobs (one row per SHA-256, shared by every version that holds the same
bytes); each change of files is a new version. A resource is published in the library of its
school and may be nominated upward to the provincial and national libraries.
"""

from decimal import Decimal
from typing import ClassVar

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ResourceType(models.TextChoices):
    VIDEO = "video", _("Video")
    AUDIO = "audio", _("Audio")
    DOCUMENT = "document", _("Document")
    SLIDES = "slides", _("Slides")
    IMAGE = "image", _("Image")
    ANIMATION = "animation", _("Animation")
    SIMULATION = "simulation", _("Virtual simulation")
    H5 = "h5", _("H5 package")
    SCORM = "scorm", _("SCORM package")
    QUESTIONS = "questions", _("Question set")
    CASE = "case", _("Case")
    COURSEWARE = "courseware", _("Courseware")


class LibraryLevel(models.TextChoices):
    SCHOOL = "school", _("School library")
    PROVINCIAL = "provincial", _("Provincial library")
    NATIONAL = "national", _("National library")


LEVEL_ORDER = (LibraryLevel.SCHOOL, LibraryLevel.PROVINCIAL, LibraryLevel.NATIONAL)


class Licence(models.TextChoices):
    CC_BY = "cc-by", _("CC BY 4.0 (attribution)")
    CC_BY_SA = "cc-by-sa", _("CC BY-SA 4.0 (attribution, share alike)")
    CC_BY_NC = "cc-by-nc", _("CC BY-NC 4.0 (attribution, non-commercial)")
    CC_BY_NC_SA = "cc-by-nc-sa", _("CC BY-NC-SA 4.0 (attribution, non-commercial, share alike)")
    CC_BY_ND = "cc-by-nd", _("CC BY-ND 4.0 (attribution, no derivatives)")
    PLATFORM_FREE = "platform-free", _("Free within the platform")
    PAID = "paid", _("Paid licence")


class ResourceStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Difficulty(models.IntegerChoices):
    # IEEE LOM 5.8 Difficulty: very easy .. very difficult.
    VERY_EASY = 1, _("Very easy")
    EASY = 2, _("Easy")
    MEDIUM = 3, pgettext_lazy("difficulty", "Medium")
    DIFFICULT = 4, _("Difficult")
    VERY_DIFFICULT = 5, _("Very difficult")


class Audience(models.TextChoices):
    # IEEE LOM 5.5 Intended end user role.
    LEARNER = "learner", _("Learners")
    TEACHER = "teacher", _("Teachers")
    BOTH = "both", _("Learners and teachers")


class Resource(models.Model):
    org = models.ForeignKey(
        "core.OrgUnit", verbose_name=_("school"), on_delete=models.PROTECT, related_name="+"
    )
    owner = models.ForeignKey(
        "identity.User", verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    resource_type = models.CharField(_("type"), max_length=16, choices=ResourceType.choices)
    major_code = models.CharField(_("major"), max_length=8)
    knowledge_points = models.CharField(_("knowledge points"), max_length=500, blank=True)
    keywords = models.CharField(_("keywords"), max_length=300, blank=True)
    difficulty = models.PositiveSmallIntegerField(
        _("difficulty"), choices=Difficulty.choices, default=Difficulty.MEDIUM
    )
    audience = models.CharField(
        _("audience"), max_length=8, choices=Audience.choices, default=Audience.BOTH
    )
    language = models.CharField(_("language"), max_length=8, default="zh")
    duration_seconds = models.PositiveIntegerField(_("duration (seconds)"), null=True, blank=True)
    licence = models.CharField(_("licence"), max_length=16, choices=Licence.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=ResourceStatus.choices, default=ResourceStatus.DRAFT
    )
    level = models.CharField(_("library"), max_length=12, choices=LibraryLevel.choices, blank=True)
    certified_level = models.CharField(
        _("certified at"), max_length=12, choices=LibraryLevel.choices, blank=True
    )
    views = models.PositiveIntegerField(default=0)
    downloads = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering: ClassVar[list[str]] = ["-updated_at", "-id"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=Q(status="draft", level="") | Q(status="published") & ~Q(level=""),
                name="resources_resource_published_has_level",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_certified(self) -> bool:
        return bool(self.certified_level)

    @property
    def keyword_list(self) -> list[str]:
        return [k.strip() for k in self.keywords.replace("，", ",").split(",") if k.strip()]


class Blob(models.Model):
    """The bytes of one file, stored once under their SHA-256 whatever resource holds them."""

    sha256 = models.CharField(max_length=64, unique=True)
    size = models.PositiveBigIntegerField()
    mime_type = models.CharField(max_length=100)
    storage_name = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.sha256


class ResourceVersion(models.Model):
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    note = models.CharField(_("what changed"), max_length=200, blank=True)
    created_by = models.ForeignKey("identity.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("resource version")
        verbose_name_plural = _("resource versions")
        ordering: ClassVar[list[str]] = ["resource", "-number"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["resource", "number"], name="resources_version_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.resource.title} · {self.number}"


class ResourceFile(models.Model):
    version = models.ForeignKey(ResourceVersion, on_delete=models.CASCADE, related_name="files")
    blob = models.ForeignKey(Blob, on_delete=models.PROTECT, related_name="files")
    filename = models.CharField(max_length=200)

    class Meta:
        ordering: ClassVar[list[str]] = ["id"]

    def __str__(self) -> str:
        return self.filename


class Contributor(models.Model):
    """A person or organisation credited on a resource, with their share of any income."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="contributors")
    name = models.CharField(_("contributor"), max_length=100)
    organisation = models.CharField(_("organisation"), max_length=120, blank=True)
    share = models.DecimalField(
        _("share (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )

    class Meta:
        ordering: ClassVar[list[str]] = ["-share", "id"]

    def __str__(self) -> str:
        return self.name


class Upload(models.Model):
    """A resumable upload (tus 1.0): its declared length and how much has arrived, in chunks."""

    key = models.CharField(max_length=32, unique=True)
    owner = models.ForeignKey("identity.User", on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=200)
    length = models.PositiveBigIntegerField()
    offset = models.PositiveBigIntegerField(default=0)
    chunks = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key

    @property
    def is_complete(self) -> bool:
        return self.offset == self.length


class CertificationStatus(models.TextChoices):
    IN_REVIEW = "in_review", _("In expert review")
    REFUSED_BY_CHECKS = "refused_by_checks", _("Refused by the automated checks")
    CERTIFIED = "certified", _("Certified")
    REJECTED = "rejected", _("Not certified")


class Certification(models.Model):
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="certifications")
    version = models.ForeignKey(ResourceVersion, on_delete=models.PROTECT, related_name="+")
    org = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, related_name="+")
    submitted_by = models.ForeignKey("identity.User", on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(_("status"), max_length=20, choices=CertificationStatus.choices)
    checks = models.JSONField(_("automated checks"), default=list)
    level = models.CharField(_("library"), max_length=12, choices=LibraryLevel.choices)
    file_hashes = models.JSONField(default=list)
    certificate_id = models.CharField(max_length=40, unique=True, null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        ordering: ClassVar[list[str]] = ["-submitted_at", "-id"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            # One open submission per resource: a second would split the experts' work.
            models.UniqueConstraint(
                fields=["resource"],
                condition=Q(status="in_review"),
                name="resources_one_open_certification",
            )
        ]

    def __str__(self) -> str:
        return self.resource.title


class Review(models.Model):
    certification = models.ForeignKey(
        Certification, on_delete=models.CASCADE, related_name="reviews"
    )
    reviewer = models.ForeignKey("identity.User", on_delete=models.PROTECT, related_name="+")
    scores = models.JSONField(_("scores"))
    comment = models.TextField(_("comment"), blank=True)
    passed = models.BooleanField(_("passed"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("expert review")
        verbose_name_plural = _("expert reviews")
        ordering: ClassVar[list[str]] = ["created_at", "id"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["certification", "reviewer"], name="resources_one_review_per_expert"
            )
        ]

    def __str__(self) -> str:
        return self.certification.resource.title


class NominationStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting review")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class Nomination(models.Model):
    """A resource recommended from its library to the one above (school → province → nation)."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="nominations")
    to_level = models.CharField(_("nominated to"), max_length=12, choices=LibraryLevel.choices)
    nominated_by = models.ForeignKey("identity.User", on_delete=models.PROTECT, related_name="+")
    nominated_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=NominationStatus.choices,
        default=NominationStatus.PENDING,
    )
    decided_by = models.ForeignKey(
        "identity.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering: ClassVar[list[str]] = ["-nominated_at", "-id"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["resource", "to_level"],
                condition=Q(status="pending"),
                name="resources_one_pending_nomination",
            )
        ]

    def __str__(self) -> str:
        return self.resource.title


class SearchText(models.Model):
    """The resource's words as the segmenter cut them, space-separated, for the search engine
    (PostgreSQL indexes these columns; SQLite mirrors them into an FTS5 table)."""

    resource = models.OneToOneField(Resource, on_delete=models.CASCADE, related_name="search")
    title_words = models.TextField()
    body_words = models.TextField()

    def __str__(self) -> str:
        return str(self.resource_id)
