"""Learning paths (ADR 0535, 0536): building a path (drafts, steps added, moved, removed,
published), who sees and who changes it, the learner's progress and where they continue,
paid steps shown locked, the pages, the library's major page and the API."""

from typing import Any
from urllib.parse import unquote

import pytest
from django.test import Client
from django.urls import reverse

from openvet.core.errors import NotFound, PermissionDenied, ValidationFailed
from openvet.core.models import AuditEntry
from openvet.resources import path_selectors as selectors
from openvet.resources.models import LearningPath, PathStep, Resource, UsageAction
from openvet.resources.services import paths as services
from openvet.resources.services import usage_record
from openvet.resources.tests.conftest import World
from openvet.resources.tests.factories import MAJOR, make_resource, offer, paid_resource

API = "/api/v1/resources/learning-paths"


@pytest.fixture(autouse=True)
def _no_totp(settings: Any) -> None:
    # The school's administrator curates here; their second factor is tested in identity.
    settings.REQUIRE_ADMIN_TOTP = False


def _client(user: object) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user, backend="openvet.identity.backends.IdentifierBackend")  # type: ignore[arg-type]
    return client


def _titles(path: LearningPath) -> list[str]:
    return [s.resource.title for s in path.steps.select_related("resource").order_by("position")]


def _path(world: World, *titles: str, publish: bool = False) -> LearningPath:
    path = services.path_start(actor=world.teacher_a, title="程序设计入门", major_code=MAJOR)
    for title in titles:
        resource = make_resource(world.teacher_a, publish=True, title=title)
        services.path_step_add(actor=world.teacher_a, path=path, resource=resource)
    if publish:
        services.path_set_published(actor=world.teacher_a, path=path, published=True)
    return path


def test_a_teacher_builds_a_draft_adds_moves_and_removes_steps(world: World) -> None:
    path = _path(world, "第一课", "第二课", "第三课")
    assert path.is_published is False
    assert _titles(path) == ["第一课", "第二课", "第三课"]
    third = path.steps.get(position=3)
    services.path_step_move(actor=world.teacher_a, step=third, up=True)
    assert _titles(path) == ["第一课", "第三课", "第二课"]
    first = path.steps.get(position=1)
    services.path_step_move(actor=world.teacher_a, step=first, up=True)  # already first
    services.path_step_move(actor=world.teacher_a, step=first, up=False)
    assert _titles(path) == ["第三课", "第一课", "第二课"]
    services.path_step_remove(actor=world.teacher_a, step=path.steps.get(position=1))
    assert _titles(path) == ["第一课", "第二课"]
    assert list(path.steps.values_list("position", flat=True)) == [1, 2]
    audited = AuditEntry.objects.filter(
        action="update", object_type="resources.learningpath", object_id=str(path.pk)
    )
    assert (
        audited.count() == 6
    )  # three steps added, two moved (not the one already first), one removed


def test_a_step_holds_only_a_published_resource_its_learners_reach_and_only_once(
    world: World,
) -> None:
    path = _path(world, "第一课")
    draft = make_resource(world.teacher_a, title="草稿")
    with pytest.raises(ValidationFailed) as refused:
        services.path_step_add(actor=world.teacher_a, path=path, resource=draft)
    assert set(refused.value.details) == {"resource"}
    # Another school's school-level resource is not in this school's library.
    elsewhere = make_resource(world.teacher_b, publish=True, title="别校资源")
    with pytest.raises(ValidationFailed):
        services.path_step_add(actor=world.teacher_a, path=path, resource=elsewhere)
    first = path.steps.get().resource
    with pytest.raises(ValidationFailed):
        services.path_step_add(actor=world.teacher_a, path=path, resource=first)
    with pytest.raises(ValidationFailed) as too_long:
        services.path_step_describe(
            actor=world.teacher_a, step=path.steps.get(), heading="单" * 101, note=""
        )
    assert set(too_long.value.details) == {"heading"}
    assert path.steps.count() == 1


def test_a_draft_is_seen_by_its_author_and_curators_only_until_published(world: World) -> None:
    path = _path(world, "第一课")
    for reader in (world.teacher_a, world.admin_a):
        assert selectors.path_get_for(actor=reader, path_id=path.pk) == path
    for outsider in (world.student_a, world.teacher_a2, world.teacher_b, world.teacher_c):
        with pytest.raises(NotFound):
            selectors.path_get_for(actor=outsider, path_id=path.pk)
    services.path_set_published(actor=world.admin_a, path=path, published=True)
    assert selectors.path_get_for(actor=world.student_a, path_id=path.pk) == path
    assert selectors.path_get_for(actor=world.teacher_a2, path_id=path.pk) == path
    with pytest.raises(NotFound):
        selectors.path_get_for(actor=world.teacher_c, path_id=path.pk)


def test_only_the_author_and_curators_change_a_path(world: World) -> None:
    path = _path(world, "第一课", "第二课", publish=True)
    with pytest.raises(PermissionDenied):
        selectors.path_get_for_change(actor=world.teacher_a2, path_id=path.pk)
    with pytest.raises(PermissionDenied):
        services.path_update(actor=world.student_a, path=path, title="改", major_code=MAJOR)
    with pytest.raises(NotFound):
        selectors.path_get_for_change(actor=world.teacher_c, path_id=path.pk)
    step = path.steps.get(position=2)
    with pytest.raises(NotFound):
        selectors.step_get_for_change(actor=world.teacher_b, step_id=step.pk)
    curated = services.path_update(
        actor=world.admin_a, path=path, title="程序设计基础", major_code=MAJOR
    )
    assert curated.title == "程序设计基础"
    with pytest.raises(PermissionDenied):
        services.path_start(actor=world.student_a, title="学生的", major_code=MAJOR)
    student = _client(world.student_a)
    refused = student.post(reverse("resources:path-list"), {"title": "学生的", "major_code": MAJOR})
    assert refused.status_code == 403
    assert "新建学习路径" not in student.get(reverse("resources:path-list")).content.decode()


def test_another_school_cannot_change_a_path_over_http(world: World) -> None:
    path = _path(world, "第一课", "第二课")
    step = path.steps.get(position=2)
    other = _client(world.teacher_c)
    assert other.get(reverse("resources:path-edit", args=[path.pk])).status_code == 404
    moved = other.post(reverse("resources:path-step-move", args=[step.pk]), {"direction": "up"})
    assert moved.status_code == 404
    removed = other.post(reverse("resources:path-step-remove", args=[step.pk]))
    assert removed.status_code == 404
    published = other.post(reverse("resources:path-publish", args=[path.pk]), {"publish": "yes"})
    assert published.status_code == 404
    colleague = _client(world.teacher_a2)
    assert colleague.get(reverse("resources:path-edit", args=[path.pk])).status_code == 404
    path.refresh_from_db()
    assert (_titles(path), path.is_published) == (["第一课", "第二课"], False)


def test_a_path_without_steps_is_not_published(world: World) -> None:
    path = services.path_start(actor=world.teacher_a, title="空路径", major_code=MAJOR)
    with pytest.raises(ValidationFailed):
        services.path_set_published(actor=world.teacher_a, path=path, published=True)
    page = _client(world.teacher_a).post(
        reverse("resources:path-publish", args=[path.pk]), {"publish": "yes"}, follow=True
    )
    assert "请先添加至少一个步骤再发布" in page.content.decode()
    path.refresh_from_db()
    assert path.is_published is False


def test_the_learner_sees_progress_and_continues_where_they_stopped(world: World) -> None:
    path = _path(world, "第一课", "第二课", "第三课", publish=True)
    first = path.steps.get(position=1).resource
    progress = selectors.path_progress(actor=world.student_a, path=path)
    assert (progress.done, progress.percent, progress.next_step.step.position) == (0, 0, 1)  # type: ignore[union-attr]
    usage_record(resource=first, actor=world.student_a, action=UsageAction.VIEW)
    progress = selectors.path_progress(actor=world.student_a, path=path)
    assert [s.done for s in progress.steps] == [True, False, False]
    assert (progress.done, progress.percent, progress.next_step.step.position) == (1, 33, 2)  # type: ignore[union-attr]
    # Another learner's opening counts for them only.
    assert selectors.path_progress(actor=world.teacher_a2, path=path).done == 0
    page = _client(world.student_a).get(reverse("resources:path", args=[path.pk])).content.decode()
    assert "已完成 1 步，共 3 步" in page
    second = path.steps.get(position=2).resource
    assert f'href="{reverse("resources:detail", args=[second.pk])}">从上次停下的地方继续' in page


def test_opening_a_step_from_the_path_marks_it_done(world: World) -> None:
    path = _path(world, "第一课", publish=True)
    resource = path.steps.get().resource
    client = _client(world.student_a)
    assert client.get(reverse("resources:detail", args=[resource.pk])).status_code == 200
    page = client.get(reverse("resources:path", args=[path.pk])).content.decode()
    assert "已完成 1 步，共 1 步" in page
    assert "你已完成这条学习路径的全部步骤" in page


def test_a_paid_step_shows_locked_with_how_to_get_it(world: World) -> None:
    path = _path(world, "第一课", publish=True)
    paid = paid_resource(world.teacher_b, contributors=[("王老师", 100)], title="付费实训")
    # Not on sale: school A's learners cannot reach it, so it is no step of theirs.
    with pytest.raises(ValidationFailed):
        services.path_step_add(actor=world.teacher_a, path=path, resource=paid)
    offer(world.teacher_b, paid)
    services.path_step_add(actor=world.teacher_a, path=path, resource=paid)
    progress = selectors.path_progress(actor=world.student_a, path=path)
    assert [(s.locked, s.missing) for s in progress.steps] == [(False, False), (True, False)]
    usage_record(resource=path.steps.get(position=1).resource, actor=world.student_a, action="view")
    assert selectors.path_progress(actor=world.student_a, path=path).next_step is None
    page = _client(world.student_a).get(reverse("resources:path", args=[path.pk])).content.decode()
    assert "需购买" in page
    assert "付费资源" in page


def test_the_pages_build_a_path_and_keep_what_was_typed(world: World) -> None:
    client = _client(world.teacher_a)
    listing = client.get(reverse("resources:path-list"))
    assert "新建学习路径" in listing.content.decode()
    refused = client.post(
        reverse("resources:path-list"), {"title": "", "major_code": MAJOR, "description": "循环"}
    )
    assert refused.status_code == 422
    assert "循环</textarea>" in refused.content.decode()
    created = client.post(
        reverse("resources:path-list"), {"title": "网页设计", "major_code": MAJOR}
    )
    path = LearningPath.objects.get(title="网页设计")
    assert created["Location"] == reverse("resources:path-edit", args=[path.pk])
    resource = make_resource(world.teacher_a, publish=True, title="盒模型微课")
    search = client.get(reverse("resources:path-edit", args=[path.pk]), {"q": "盒模型"})
    assert "盒模型微课" in search.content.decode()
    added = client.post(
        reverse("resources:path-step-add", args=[path.pk]),
        {"resource": resource.pk, "search": "?q=盒模型"},
    )
    assert unquote(added["Location"]).endswith("?q=盒模型")
    assert _titles(path) == ["盒模型微课"]
    step = path.steps.get()
    bad = client.post(
        reverse("resources:path-step-describe", args=[step.pk]),
        {f"{step.pk}-heading": "第一单元" * 30, f"{step.pk}-note": "先看视频"},
    )
    assert bad.status_code == 422
    assert 'value="先看视频"' in bad.content.decode()
    client.post(
        reverse("resources:path-step-describe", args=[step.pk]),
        {f"{step.pk}-heading": "第一单元", f"{step.pk}-note": "先看视频"},
    )
    step.refresh_from_db()
    assert (step.heading, step.note) == ("第一单元", "先看视频")
    kept = client.post(
        reverse("resources:path-edit", args=[path.pk]),
        {"title": "", "major_code": MAJOR, "description": "新的说明"},
    )
    assert kept.status_code == 422
    assert "新的说明</textarea>" in kept.content.decode()
    client.post(reverse("resources:path-publish", args=[path.pk]), {"publish": "yes"})
    path.refresh_from_db()
    assert path.is_published is True
    assert client.post(reverse("resources:path-step-add", args=[path.pk]), {}).status_code == 404


def test_the_major_library_page_lists_its_published_paths(world: World) -> None:
    published = _path(world, "第一课", publish=True)
    draft = services.path_start(actor=world.teacher_a, title="未发布路径", major_code=MAJOR)
    page = _client(world.student_a).get(reverse("resources:library"), {"major_code": MAJOR})
    text = page.content.decode()
    assert published.title in text
    assert draft.title not in text
    other = _client(world.teacher_c).get(reverse("resources:library"), {"major_code": MAJOR})
    assert published.title not in other.content.decode()


def test_the_api_reads_paths_with_the_callers_progress(world: World) -> None:
    path = _path(world, "第一课", "第二课", publish=True)
    draft = services.path_start(actor=world.teacher_a, title="未发布路径", major_code=MAJOR)
    usage_record(resource=path.steps.get(position=1).resource, actor=world.student_a, action="view")
    client = _client(world.student_a)
    listed = client.get(API, {"major_code": MAJOR}).json()
    assert [p["id"] for p in listed["items"]] == [path.pk]
    body = client.get(f"{API}/{path.pk}").json()
    assert [s["resource_title"] for s in body["steps"]] == ["第一课", "第二课"]
    assert [s["done"] for s in body["steps"]] == [True, False]
    assert (body["done"], body["percent"], body["next_position"]) == (1, 50, 2)
    assert client.get(f"{API}/{draft.pk}").status_code == 404
    missing = _client(world.teacher_c).get(f"{API}/{path.pk}")
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")
    assert _client(world.teacher_c).get(API).json() == {"count": 0, "items": []}
    assert Client().get(API).status_code == 401
    assert client.get(API, {"major_code": "x"}).status_code == 422


def test_a_step_whose_resource_left_the_library_is_listed_but_not_offered(world: World) -> None:
    path = _path(world, "第一课", "第二课", publish=True)
    gone = path.steps.get(position=1).resource
    Resource.objects.filter(pk=gone.pk).update(status="draft", level="")
    progress = selectors.path_progress(actor=world.student_a, path=path)
    assert [s.missing for s in progress.steps] == [True, False]
    assert progress.next_step.step.position == 2  # type: ignore[union-attr]
    assert PathStep.objects.filter(path=path).count() == 2
