"""Resources, files, certification and nominations through the services, on real storage."""

import hashlib

import pytest
from django.core.files.storage import default_storage

from openvet.core.errors import Conflict, PermissionDenied, ValidationFailed
from openvet.core.models import AuditEntry
from openvet.core.uploads import UploadRefused
from openvet.resources import selectors, services
from openvet.resources.models import (
    Blob,
    CertificationStatus,
    LibraryLevel,
    Resource,
    Upload,
)
from openvet.resources.services.certification import EICAR, certificate_is_genuine
from openvet.resources.tests.conftest import World
from openvet.resources.tests.factories import MP4, make_resource, pdf_bytes, upload

SCORES = {"accuracy": 5, "pedagogy": 4, "technical": 4, "accessibility": 3, "ip": 5}


def test_a_chunked_upload_resumes_at_the_offset_the_server_holds(world: World) -> None:
    data = pdf_bytes("resume") * 3
    created = services.upload_create(actor=world.teacher_a, filename="a.pdf", length=len(data))
    services.upload_append(actor=world.teacher_a, key=created.key, offset=0, data=data[:1000])
    # The phone lost its connection and resends from the start: refused, told the offset.
    with pytest.raises(Conflict) as refused:
        services.upload_append(actor=world.teacher_a, key=created.key, offset=0, data=data[:1000])
    assert refused.value.details == {"offset": 1000}
    services.upload_append(actor=world.teacher_a, key=created.key, offset=1000, data=data[1000:])
    finished = services.upload_finish(actor=world.teacher_a, key=created.key)
    assert finished.blob.sha256 == hashlib.sha256(data).hexdigest()
    assert finished.blob.mime_type == "application/pdf"
    with default_storage.open(finished.blob.storage_name, "rb") as stored:
        assert stored.read() == data
    assert not Upload.objects.exists()


def test_the_same_bytes_are_stored_once(world: World) -> None:
    first = make_resource(world.teacher_a, data=MP4, filename="a.mp4")
    second = make_resource(world.teacher_b, data=MP4, filename="b.mp4", title="另一份")
    files = [selectors.resource_files(r)[0] for r in (first, second)]
    assert files[0].blob_id == files[1].blob_id
    assert Blob.objects.count() == 1


def test_a_file_whose_content_is_not_what_its_name_says_is_refused(world: World) -> None:
    key = upload(world.teacher_a, "lecture.mp4", pdf_bytes())
    with pytest.raises(UploadRefused):
        services.resource_create(
            actor=world.teacher_a,
            contributors=[services.ContributorIn("张老师", "", 100)],  # type: ignore[arg-type]
            upload_keys=[key],
            title="伪装的视频",
            resource_type="video",
            major_code="510201",
            licence="cc-by",
        )
    assert not Resource.objects.exists()
    assert not Blob.objects.exists()


def test_an_upload_of_an_unknown_kind_is_refused_before_any_byte(world: World) -> None:
    with pytest.raises(ValidationFailed):
        services.upload_create(actor=world.teacher_a, filename="setup.exe", length=10)


def test_metadata_errors_are_reported_together(world: World) -> None:
    key = upload(world.teacher_a, "a.pdf", pdf_bytes())
    with pytest.raises(ValidationFailed) as refused:
        services.resource_create(
            actor=world.teacher_a,
            contributors=[services.ContributorIn("甲", "", 60)],  # type: ignore[arg-type]
            upload_keys=[key],
            title=" ",
            resource_type="video",
            major_code="999999",
            licence="cc-by",
        )
    assert set(refused.value.details) == {"title", "major_code", "contributors"}
    assert not Resource.objects.exists()


def _certify(world: World, resource: Resource) -> None:
    certification = services.certification_submit(actor=world.teacher_a, resource=resource)
    assert certification.status == CertificationStatus.IN_REVIEW
    services.review_submit(actor=world.teacher_b, certification=certification, scores=SCORES)
    services.review_submit(actor=world.head_b, certification=certification, scores=SCORES)


def test_two_experts_of_other_schools_certify_and_the_id_binds_the_files(world: World) -> None:
    resource = make_resource(world.teacher_a, publish=True)
    _certify(world, resource)
    resource.refresh_from_db()
    assert resource.certified_level == LibraryLevel.SCHOOL
    certification = resource.certifications.get()
    assert certification.status == CertificationStatus.CERTIFIED
    blob = selectors.resource_files(resource)[0].blob
    assert certification.file_hashes == [blob.sha256]
    assert certificate_is_genuine(certification)
    certification.file_hashes = ["0" * 64]
    assert not certificate_is_genuine(certification)


def test_an_expert_of_the_submitting_school_is_refused(world: World) -> None:
    resource = make_resource(world.teacher_a, publish=True)
    certification = services.certification_submit(actor=world.teacher_a, resource=resource)
    with pytest.raises(PermissionDenied):
        services.review_submit(actor=world.teacher_a2, certification=certification, scores=SCORES)
    with pytest.raises(PermissionDenied):  # another province's expert
        services.review_submit(actor=world.teacher_c, certification=certification, scores=SCORES)
    assert not certification.reviews.exists()
    assert selectors.review_queue_for(actor=world.teacher_a2).count() == 0
    assert list(selectors.review_queue_for(actor=world.teacher_b)) == [certification]


def test_one_failing_expert_means_not_certified(world: World) -> None:
    resource = make_resource(world.teacher_a, publish=True)
    certification = services.certification_submit(actor=world.teacher_a, resource=resource)
    services.review_submit(actor=world.teacher_b, certification=certification, scores=SCORES)
    services.review_submit(
        actor=world.head_b, certification=certification, scores={**SCORES, "ip": 1}
    )
    certification.refresh_from_db()
    assert certification.status == CertificationStatus.REJECTED
    assert certification.certificate_id is None
    with pytest.raises(Conflict):
        services.review_submit(actor=world.teacher_b, certification=certification, scores=SCORES)


def test_automated_checks_refuse_infected_and_duplicate_files(world: World) -> None:
    infected = make_resource(world.teacher_a, data=pdf_bytes() + EICAR, publish=True)
    certification = services.certification_submit(actor=world.teacher_a, resource=infected)
    assert certification.status == CertificationStatus.REFUSED_BY_CHECKS
    failed = {c["key"] for c in certification.checks if not c["passed"]}
    assert failed == {"malware"}
    same = pdf_bytes("the same handout")
    copy = make_resource(world.teacher_b, data=same, filename="a.pdf", publish=True)
    original = make_resource(world.teacher_a, data=same, filename="b.pdf", publish=True)
    assert copy.pk != original.pk
    checks = services.certification_submit(actor=world.teacher_a, resource=original).checks
    assert {c["key"] for c in checks if not c["passed"]} == {"duplicate"}


def test_a_new_version_needs_certifying_again(world: World) -> None:
    resource = make_resource(world.teacher_a, publish=True)
    _certify(world, resource)
    key = upload(world.teacher_a, "v2.pdf", pdf_bytes("v2"))
    services.resource_add_version(actor=world.teacher_a, resource=resource, upload_keys=[key])
    resource.refresh_from_db()
    assert resource.certified_level == ""
    assert [v.number for v in resource.versions.all()] == [2, 1]


def test_certified_resource_is_nominated_and_accepted_into_the_provincial_library(
    world: World,
) -> None:
    resource = make_resource(world.teacher_a, publish=True)
    with pytest.raises(ValidationFailed):
        services.nomination_create(actor=world.teacher_a, resource=resource)
    _certify(world, resource)
    resource.refresh_from_db()
    nomination = services.nomination_create(actor=world.admin_a, resource=resource)
    with pytest.raises(Conflict):
        services.nomination_create(actor=world.teacher_a, resource=resource)
    with pytest.raises(PermissionDenied):
        services.nomination_decide(actor=world.teacher_b, nomination=nomination, accept=True)
    services.nomination_decide(actor=world.region, nomination=nomination, accept=True)
    resource.refresh_from_db()
    assert resource.level == LibraryLevel.PROVINCIAL
    # Now the province's other schools see it; the other province does not.
    assert selectors.resource_list_for(actor=world.teacher_b).filter(pk=resource.pk).exists()
    assert not selectors.resource_list_for(actor=world.teacher_c).filter(pk=resource.pk).exists()


def test_a_school_library_is_seen_only_by_its_school(world: World) -> None:
    draft = make_resource(world.teacher_a)
    published = make_resource(world.teacher_a, publish=True, title="已发布")
    assert set(selectors.resource_list_for(actor=world.student_a)) == {published}
    assert set(selectors.resource_list_for(actor=world.teacher_a2)) == {published}
    assert set(selectors.resource_list_for(actor=world.admin_a)) == {draft, published}
    assert not selectors.resource_list_for(actor=world.teacher_b).exists()
    with pytest.raises(PermissionDenied):
        services.resource_publish(actor=world.teacher_b, resource=draft)


def test_every_write_is_audited(world: World) -> None:
    resource = make_resource(world.teacher_a, publish=True)
    assert (
        AuditEntry.objects.filter(
            object_type="resources.resource", object_id=str(resource.pk)
        ).count()
        == 2
    )
