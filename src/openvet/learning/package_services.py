"""Content packages (ADR 0704-0706): importing a SCORM 1.2 / 2004 or H5 zip through the upload
guard, launching a SCO for a learner and storing what the SCO commits.

An upload is checked (size, members, ratio, paths) before a byte is unpacked, its manifest read
from the archive, then every member written to the storage under a fresh prefix; if anything
fails later the written files are deleted again. A learner's CMI data lives in ``ScoAttempt``;
each commit is checked element by element against the data model (``cmi.check``) and stored
all or nothing; completion and scores become xAPI statements and drive the unit's completion.
"""

import posixpath
import secrets
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openvet.core.errors import PermissionDenied, ValidationFailed
from openvet.core.policy import Actor
from openvet.core.uploads import UploadLimits, UploadRefused, extract_zip, guard_zip, open_member
from openvet.learning import cmi, manifest
from openvet.learning.models import (
    Package,
    PackageItem,
    PackageStandard,
    Progress,
    ScoAttempt,
    Unit,
    UnitKind,
)
from openvet.lrs import services as lrs

MB = 1024 * 1024
MANIFEST = "imsmanifest.xml"
MANIFEST_MAX_BYTES = 2 * MB
TOKEN_SALT = "learning.package"  # noqa: S105 - a signing salt, not a secret
TOKEN_MAX_AGE = 12 * 3600  # a learning session; reopening the unit gives a fresh address


def package_limits() -> UploadLimits:
    """Caps of a package upload (settings ``LEARNING_MAX_PACKAGE_BYTES``, unpacked total
    ``LEARNING_MAX_PACKAGE_UNPACKED_BYTES``, members ``LEARNING_MAX_PACKAGE_FILES``)."""
    return UploadLimits(
        max_bytes=int(getattr(settings, "LEARNING_MAX_PACKAGE_BYTES", 200 * MB)),
        max_members=int(getattr(settings, "LEARNING_MAX_PACKAGE_FILES", 5_000)),
        max_member_bytes=int(getattr(settings, "LEARNING_MAX_PACKAGE_UNPACKED_BYTES", 500 * MB)),
        max_total_bytes=int(getattr(settings, "LEARNING_MAX_PACKAGE_UNPACKED_BYTES", 500 * MB)),
    )


def _manifest_message(error: manifest.ManifestError) -> str:
    return {
        "doctype": _("The package's imsmanifest.xml declares a document type, which is refused."),
        "not_xml": _("The package's imsmanifest.xml is not well-formed XML."),
        "not_manifest": _("The package's imsmanifest.xml does not describe a content package."),
        "unknown_version": _("The package is neither SCORM 1.2 nor SCORM 2004."),
        "external_launch": _("The package launches a page outside itself."),
        "outside_package": _("The package launches a page outside itself."),
        "missing_resource": _("An item of the package's table of contents has no resource."),
        "missing_launch": _("A resource of the package has no page to launch."),
    }.get(error.reason, _("The package has nothing to launch."))


@dataclass
class Prepared:
    """A checked and unpacked package, not yet attached to a unit."""

    standard: str
    root: str
    stored: list[str]
    unpacked_bytes: int
    parsed: manifest.Manifest | None = None
    h5_entry: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def discard(self) -> None:
        for name in self.stored:
            default_storage.delete(name)


def _read_member(upload: Any, name: str, limits: UploadLimits) -> bytes:
    members = {m.name: m for m in guard_zip(upload, limits=limits)}
    member = members[name]
    if member.size > MANIFEST_MAX_BYTES:
        raise UploadRefused(_("The package's imsmanifest.xml is larger than 2 MB."))
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive, open_member(archive, member, limits=limits) as s:
            return bytes(s.read())
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise UploadRefused(_("The file is damaged or is not the kind of file expected.")) from exc
    finally:
        upload.seek(0)


def _h5_entry(names: list[str]) -> str:
    """The start page of an H5 package: ``index.html`` at the top, or in its only folder."""
    if "index.html" in names:
        return "index.html"
    tops = {n.split("/", 1)[0] for n in names if "/" in n}
    if len(tops) == 1 and f"{next(iter(tops))}/index.html" in names:
        return f"{next(iter(tops))}/index.html"
    return ""


def package_prepare(*, course_id: int, upload: Any, kind: str) -> Prepared:
    """Check an uploaded package, read what it launches and unpack it to the storage."""
    if upload is None:
        raise ValidationFailed(details={"file": _("Choose a file to upload.")})
    limits = package_limits()
    names = [m.name for m in guard_zip(upload, limits=limits)]
    total = sum(m.size for m in guard_zip(upload, limits=limits))
    parsed: manifest.Manifest | None = None
    entry = ""
    if kind == UnitKind.SCORM:
        if MANIFEST not in names:
            raise UploadRefused(
                _("The zip has no imsmanifest.xml at its top: it is not a SCORM package.")
            )
        try:
            parsed = manifest.parse(_read_member(upload, MANIFEST, limits))
        except manifest.ManifestError as exc:
            raise UploadRefused(_manifest_message(exc)) from exc
        missing = [i.href for i in parsed.launchable if i.href.split("?")[0] not in names]
        if missing:
            raise UploadRefused(
                _("The package launches “%(page)s”, which is not in the zip.")
                % {"page": missing[0][:120]}
            )
        standard = parsed.standard
    else:
        entry = _h5_entry(names)
        if not entry:
            raise UploadRefused(_("An H5 package needs an index.html at the top of the zip."))
        standard = PackageStandard.H5
    root = f"learning/{course_id}/pkg-{secrets.token_hex(10)}"
    stored = extract_zip(upload, storage=default_storage, prefix=root, limits=limits)
    return Prepared(standard, root, stored, total, parsed=parsed, h5_entry=entry)


def package_attach(*, unit: Unit, prepared: Prepared) -> Package:
    """Store the package of a new unit and its table of contents (in the caller's transaction)."""
    parsed = prepared.parsed
    package = Package.objects.create(
        unit=unit,
        standard=prepared.standard,
        schema_version=parsed.schema_version if parsed else "",
        title=parsed.title if parsed else "",
        root=prepared.root,
        file_count=len(prepared.stored),
        unpacked_bytes=prepared.unpacked_bytes,
    )
    items = parsed.items if parsed else []
    if not parsed:
        items = [manifest.Item("index", unit.title, 0, href=prepared.h5_entry)]
    PackageItem.objects.bulk_create(
        PackageItem(
            package=package,
            identifier=item.identifier,
            title=item.title or unit.title,
            position=number,
            depth=min(item.depth, 10),
            href=item.href,
            is_sco=item.is_sco,
            mastery_score=(
                item.mastery_score if item.mastery_score is not None else item.scaled_passing_score
            ),
            launch_data=item.launch_data,
        )
        for number, item in enumerate(items, start=1)
    )
    return package


def has_sco(unit: Unit) -> bool:
    """Whether a package reports to the platform; one of assets only is done once opened."""
    return PackageItem.objects.filter(package__unit=unit, is_sco=True).exists()


# Addresses of the files -------------------------------------------------------------------


def package_token(*, package: Package, user_id: int, attempt_id: int = 0, item_id: int = 0) -> str:
    """The signed part of a package's address: which package, for whom, which attempt."""
    payload = {"p": package.pk, "u": user_id, "a": attempt_id, "i": item_id}
    return signing.dumps(payload, salt=TOKEN_SALT, compress=True)


@dataclass(frozen=True)
class Grant:
    package_id: int
    user_id: int
    attempt_id: int
    item_id: int


def grant_of(token: str) -> Grant | None:
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    try:
        return Grant(int(data["p"]), int(data["u"]), int(data["a"]), int(data.get("i", 0)))
    except (KeyError, TypeError, ValueError):
        return None


def storage_name(package: Package, path: str) -> str | None:
    """The stored name of ``path`` inside the package, or None when it leaves the package."""
    clean = posixpath.normpath(path.replace("\\", "/"))
    if not path or clean.startswith(("../", "/")) or clean in ("..", "."):
        return None
    return f"{package.root}/{clean}"


# Learners' attempts -----------------------------------------------------------------------


def _record(user_id: int, verb: str, item: PackageItem, result: dict[str, Any] | None) -> None:
    lrs.record_learning_event(
        user_id=user_id, verb=verb, object_type="learning.sco", object_id=item.pk, result=result
    )


def _finished_attempt(attempt: ScoAttempt) -> bool:
    """A new attempt starts when the last one ended, done, without "suspend" (RTE: cmi.entry)."""
    return attempt.finished_at is not None and attempt.completed and attempt.exit != "suspend"


def sco_launch(*, actor: Actor, item: PackageItem) -> ScoAttempt:
    """The learner's attempt to run now: the current one resumed, or a new one."""
    now = timezone.now()
    with transaction.atomic():
        last = (
            ScoAttempt.objects.select_for_update()
            .filter(item=item, user_id=actor.pk)
            .order_by("-number")
            .first()
        )
        if last is not None and not _finished_attempt(last):
            return last
        attempt = ScoAttempt.objects.create(
            item=item,
            user_id=actor.pk,
            number=(last.number + 1) if last else 1,
            started_at=now,
            updated_at=now,
        )
        _record(actor.pk, "attempted", item, {"attempt": attempt.number})
    return attempt


def launch_values(*, attempt: ScoAttempt | None, item: PackageItem, learner: Any) -> dict[str, str]:
    """The values a SCO reads at LMSInitialize / Initialize: the stored ones and those the
    platform supplies (learner, entry, mode, total time, launch data, mastery score)."""
    standard = item.package.standard
    stored: dict[str, str] = dict(attempt.cmi) if attempt else {}
    resumed = attempt is not None and attempt.exit == "suspend"
    entry = "resume" if resumed else ("ab-initio" if not attempt or not attempt.sessions else "")
    total = cmi.total_time_text(standard, attempt.total_seconds if attempt else 0)
    name = str(getattr(learner, "full_name", "") or getattr(learner, "username", ""))
    mode = "normal" if attempt else "browse"
    if standard == PackageStandard.SCORM_2004:
        values = {
            "cmi._version": "1.0",
            "cmi.completion_status": "unknown",
            "cmi.success_status": "unknown",
            "cmi.credit": "credit" if attempt else "no-credit",
            "cmi.mode": mode,
            "cmi.learner_id": str(learner.pk),
            "cmi.learner_name": name,
            "cmi.launch_data": item.launch_data,
            "cmi.time_limit_action": "continue,no message",
        }
        if item.mastery_score is not None:
            values["cmi.scaled_passing_score"] = str(item.mastery_score)
        values.update(stored)
        values.update({"cmi.entry": entry, "cmi.total_time": total})
        return values
    values = {
        "cmi.core.student_id": str(learner.pk),
        "cmi.core.student_name": name,
        "cmi.core.lesson_location": "",
        "cmi.core.credit": "credit" if attempt else "no-credit",
        "cmi.core.lesson_status": "not attempted",
        "cmi.core.score.raw": "",
        "cmi.core.score.min": "",
        "cmi.core.score.max": "",
        "cmi.core.lesson_mode": mode,
        "cmi.suspend_data": "",
        "cmi.launch_data": item.launch_data,
        "cmi.comments": "",
        "cmi.comments_from_lms": "",
    }
    if item.mastery_score is not None:
        values["cmi.student_data.mastery_score"] = f"{item.mastery_score:g}"
    values.update(stored)
    values.update({"cmi.core.entry": entry, "cmi.core.total_time": total})
    return values


class CommitRefused(ValidationFailed):
    code = "cmi_refused"


def _checked(standard: str, values: Any) -> dict[str, str]:
    if not isinstance(values, dict) or len(values) > 2_000:
        raise CommitRefused(_("The data sent by the course package is not readable."))
    errors: dict[str, str] = {}
    clean: dict[str, str] = {}
    for element, value in values.items():
        text = value if isinstance(value, str) else str(value)
        code = cmi.check(standard, str(element), text) if isinstance(element, str) else "201"
        if code:
            errors[str(element)[:255]] = code
        else:
            clean[element] = text
    if errors:
        raise CommitRefused(
            _("The course package sent values that SCORM does not allow; nothing was saved."),
            details=errors,
        )
    return clean


_SESSION_ONLY = ("cmi.core.session_time", "cmi.session_time", "cmi.core.exit", "cmi.exit")


def sco_commit(
    *,
    actor: Actor,
    attempt: ScoAttempt,
    values: Any,
    finished: bool = False,
    session: str = "",
    seq: int = 0,
) -> ScoAttempt:
    """Store what the SCO set in this session; at the end of a session add its time to the
    total, keep how it exited, and record the outcome (ADR 0704). A commit of the same
    ``session`` numbered at or below the last stored one arrived late and is ignored."""
    if attempt.user_id != actor.pk:
        raise PermissionDenied()
    item = attempt.item
    standard = item.package.standard
    clean = _checked(standard, values)
    with transaction.atomic():
        attempt = ScoAttempt.objects.select_for_update().select_related("item").get(pk=attempt.pk)
        if session and session == attempt.commit_session and seq <= attempt.commit_seq:
            return attempt
        if attempt.finished_at is not None and attempt.exit != "suspend" and attempt.completed:
            raise CommitRefused(_("This attempt has ended; open the unit again to continue."))
        attempt.commit_session, attempt.commit_seq = session[:32], max(seq, 0)
        before = cmi.outcome(standard, attempt.cmi, item.mastery_score)
        data = dict(attempt.cmi)
        data.update({k: v for k, v in clean.items() if k not in _SESSION_ONLY})
        exit_key = "cmi.exit" if standard == PackageStandard.SCORM_2004 else "cmi.core.exit"
        time_key = (
            "cmi.session_time"
            if standard == PackageStandard.SCORM_2004
            else ("cmi.core.session_time")
        )
        if exit_key in clean:
            attempt.exit = clean[exit_key]
        now = timezone.now()
        if finished:
            attempt.total_seconds += cmi.seconds_of(standard, clean.get(time_key, ""))
            attempt.sessions += 1
            attempt.finished_at = now
        after = cmi.outcome(standard, data, item.mastery_score)
        attempt.cmi = data
        attempt.completed = after.completed
        attempt.success = after.success
        attempt.score_raw = after.score_raw
        attempt.score_scaled = after.score_scaled
        attempt.updated_at = now
        attempt.save()
        _record_changes(actor, attempt, before, after, finished)
        if after.completed and not before.completed:
            _unit_check(actor, item)
    return attempt


def _record_changes(
    actor: Actor, attempt: ScoAttempt, before: cmi.Outcome, after: cmi.Outcome, finished: bool
) -> None:
    item = attempt.item
    result: dict[str, Any] = {"attempt": attempt.number}
    if after.score_raw is not None:
        result["total"] = str(after.score_raw)
    if after.score_scaled is not None:
        result["scaled"] = str(after.score_scaled)
    if after.completed and not before.completed:
        _record(actor.pk, "completed", item, result)
    if after.success != before.success and after.success in ("passed", "failed"):
        _record(actor.pk, after.success, item, result)
    if after.score_raw != before.score_raw and after.score_raw is not None:
        _record(actor.pk, "scored", item, result)
    if finished:
        verb = "suspended" if attempt.exit == "suspend" else "terminated"
        _record(actor.pk, verb, item, {**result, "seconds": round(attempt.total_seconds)})


def _unit_check(actor: Actor, item: PackageItem) -> None:
    """Complete the unit once every SCO of its package is done (assets count when opened)."""
    unit = item.package.unit
    scos = list(item.package.items.filter(is_sco=True).values_list("pk", flat=True))
    done = set(
        ScoAttempt.objects.filter(item_id__in=scos, user_id=actor.pk, completed=True).values_list(
            "item_id", flat=True
        )
    )
    if set(scos) - done:
        return
    progress, _created = Progress.objects.get_or_create(
        unit=unit, user_id=actor.pk, defaults={"started_at": timezone.now()}
    )
    if progress.completed_at is None:
        progress.completed_at = timezone.now()
        progress.save(update_fields=["completed_at"])
        lrs.record_learning_event(
            user_id=actor.pk, verb="completed", object_type="learning.unit", object_id=unit.pk
        )
