"""Certification: automated checks, two experts with a rubric, a decision and a certificate
whose id binds the exact bytes of the certified version (ADR 0504)."""

import hashlib
import hmac
import json
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from openvet.core import policy
from openvet.core.audit import audit_record
from openvet.core.errors import Conflict, PermissionDenied, ValidationFailed
from openvet.core.models import AuditAction
from openvet.core.policy import Actor
from openvet.resources import permissions as perms
from openvet.resources.models import (
    Certification,
    CertificationStatus,
    LibraryLevel,
    Resource,
    ResourceFile,
    ResourceStatus,
    Review,
)
from openvet.resources.services.files import EXPECTED_TYPES, blob_sha256_of_stored

REVIEWS_NEEDED = 2
PASS_SCORE = 3


@dataclass(frozen=True)
class Criterion:
    key: str
    label: str  # a message id, translated where shown


# The default rubric; a deployment sets RESOURCES_RUBRIC to a list of (key, label) pairs.
DEFAULT_RUBRIC = (
    Criterion("accuracy", gettext_noop("Content accuracy")),
    Criterion("pedagogy", gettext_noop("Pedagogy")),
    Criterion("technical", gettext_noop("Technical quality")),
    Criterion("accessibility", gettext_noop("Accessibility")),
    Criterion("ip", gettext_noop("Intellectual property cleared")),
)


def rubric() -> tuple[Criterion, ...]:
    custom = getattr(settings, "RESOURCES_RUBRIC", None)
    return tuple(Criterion(k, v) for k, v in custom) if custom else DEFAULT_RUBRIC


@dataclass(frozen=True)
class CheckResult:
    key: str
    passed: bool
    message: str  # a message id; its %(name)s placeholders are filled from ``params``
    params: dict[str, object] | None = None

    def as_dict(self) -> dict[str, object]:
        found: dict[str, object] = {"key": self.key, "passed": self.passed}
        found["message"] = self.message
        if self.params:
            found["params"] = self.params
        return found


Scanner = Callable[[bytes], bool]

# The EICAR test string: every anti-virus engine reports it, so the default scanner proves the
# hook works end to end; production adds a real engine through RESOURCES_MALWARE_SCANNERS.
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def eicar_scanner(data: bytes) -> bool:
    """True when ``data`` is infected (here: holds the EICAR test signature)."""
    return EICAR in data


def _scanners() -> list[Scanner]:
    names = getattr(
        settings,
        "RESOURCES_MALWARE_SCANNERS",
        ["openvet.resources.services.certification.eicar_scanner"],
    )
    return [import_string(name) for name in names]


def _files_of(resource: Resource) -> list[ResourceFile]:
    version = resource.versions.order_by("-number").first()
    if version is None:
        return []
    return list(version.files.select_related("blob", "version"))


def automated_checks(resource: Resource, files: list[ResourceFile]) -> list[CheckResult]:
    from django.core.files.storage import default_storage

    from openvet.resources.services.video_checks import video_quality_checks

    allowed = set().union(*EXPECTED_TYPES.values())
    formats = all(f.blob.mime_type in allowed for f in files) and bool(files)
    intact = all(blob_sha256_of_stored(f.blob) == f.blob.sha256 for f in files)
    complete = (
        all([resource.title, resource.description, resource.keywords, resource.major_code])
        and resource.contributors.exists()
    )
    hashes = [f.blob_id for f in files]
    duplicate = (
        ResourceFile.objects.filter(blob_id__in=hashes).exclude(version__resource=resource).exists()
    )
    infected = False
    video_checks = video_quality_checks(files)
    for f in files:
        with default_storage.open(f.blob.storage_name, "rb") as handle:
            data = handle.read(64 * 1024 * 1024)
        infected = infected or any(scan(data) for scan in _scanners())
    return [
        CheckResult("formats", formats, gettext_noop("Files are of allowed formats")),
        CheckResult("integrity", intact, gettext_noop("Files are intact (SHA-256 verified)")),
        CheckResult("metadata", complete, gettext_noop("Metadata is complete")),
        CheckResult(
            "duplicate", not duplicate, gettext_noop("No other resource holds the same files")
        ),
        CheckResult("malware", not infected, gettext_noop("No malware found")),
        *video_checks,
    ]


def certification_submit(*, actor: Actor, resource: Resource) -> Certification:
    """Submit the latest version for certification in the resource's library."""
    if not perms.can_edit_resource(actor, resource):
        raise PermissionDenied()
    if resource.status != ResourceStatus.PUBLISHED:
        raise ValidationFailed(_("Publish the resource before submitting it for certification."))
    version = resource.versions.order_by("-number").first()
    if version is None:
        raise ValidationFailed(_("Upload the resource's files first."))
    files = _files_of(resource)
    results = automated_checks(resource, files)
    passed = all(r.passed for r in results)
    try:
        with transaction.atomic():
            certification = Certification.objects.create(
                resource=resource,
                version=version,
                org=resource.org,
                submitted_by_id=actor.pk,
                status=CertificationStatus.IN_REVIEW
                if passed
                else CertificationStatus.REFUSED_BY_CHECKS,
                checks=[r.as_dict() for r in results],
                level=resource.level or LibraryLevel.SCHOOL,
                file_hashes=sorted(f.blob.sha256 for f in files),
            )
            audit_record(action=AuditAction.CREATE, obj=certification, org=resource.org)
    except IntegrityError as exc:
        raise Conflict(_("This resource is already in expert review.")) from exc
    return certification


def _review_errors(scores: dict[str, int]) -> dict[str, str]:
    errors = {}
    for criterion in rubric():
        value = scores.get(criterion.key)
        if not isinstance(value, int) or not 1 <= value <= 5:
            errors[criterion.key] = _("Give a score from 1 to 5.")
    return errors


def review_submit(
    *, actor: Actor, certification: Certification, scores: dict[str, int], comment: str = ""
) -> Review:
    """One expert's review; the second completes the decision. An expert of the submitting
    school, or of another province, is refused (conflict of interest)."""
    reach = perms.reach_of(actor, perms.REVIEW)
    if not policy.has_capability(actor, perms.REVIEW):
        raise PermissionDenied()
    if perms.conflict_of_interest(reach, certification.org):
        raise PermissionDenied(_("You cannot review a resource of your own school."))
    if not perms.may_review_in(reach, certification.org):
        raise PermissionDenied()
    errors = _review_errors(scores)
    if errors:
        raise ValidationFailed(details=errors)
    passed = all(scores[c.key] >= PASS_SCORE for c in rubric())
    with transaction.atomic():
        locked = Certification.objects.select_for_update().get(pk=certification.pk)
        if locked.status != CertificationStatus.IN_REVIEW:
            raise Conflict(_("The review of this resource is closed."))
        try:
            with transaction.atomic():
                review = Review.objects.create(
                    certification=locked,
                    reviewer_id=actor.pk,
                    scores={c.key: scores[c.key] for c in rubric()},
                    comment=comment,
                    passed=passed,
                )
        except IntegrityError as exc:
            raise Conflict(_("You have already reviewed this resource.")) from exc
        audit_record(action=AuditAction.CREATE, obj=review, org=locked.org)
        reviews = list(locked.reviews.all())
        if len(reviews) >= REVIEWS_NEEDED:
            _decide(locked, all(r.passed for r in reviews))
    return review


def certificate_id_for(certification: Certification) -> str:
    """A keyed digest of what was certified: resource, version, level and file hashes. Anyone
    holding the files can compare their SHA-256 with the certificate page; only the platform
    can mint an id that matches."""
    payload = json.dumps(
        {
            "resource": certification.resource_id,
            "version": certification.version_id,
            "level": certification.level,
            "files": sorted(certification.file_hashes),
        },
        sort_keys=True,
    ).encode()
    digest = hmac.new(settings.SECRET_KEY.encode(), payload, hashlib.sha256).digest()
    # Twenty decimal digits in groups of four: read aloud or typed on a phone without doubt.
    number = f"{int.from_bytes(digest[:10], 'big') % 10**20:020d}"
    return "-".join(number[i : i + 4] for i in range(0, 20, 4))


def certificate_is_genuine(certification: Certification) -> bool:
    return bool(certification.certificate_id) and hmac.compare_digest(
        str(certification.certificate_id), certificate_id_for(certification)
    )


def _decide(certification: Certification, passed: bool) -> None:
    certification.decided_at = timezone.now()
    if passed:
        certification.status = CertificationStatus.CERTIFIED
        certification.certificate_id = certificate_id_for(certification)
        Resource.objects.filter(pk=certification.resource_id).update(
            certified_level=certification.level
        )
    else:
        certification.status = CertificationStatus.REJECTED
    certification.save(update_fields=["status", "certificate_id", "decided_at"])
    audit_record(
        action=AuditAction.UPDATE,
        obj=certification,
        org=certification.org,
        changes={"status": [CertificationStatus.IN_REVIEW, certification.status]},
    )
