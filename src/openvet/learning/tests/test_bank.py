"""Question bank upgrades: matching with partial credit, pictures, random papers from pools,
item statistics and QTI 2.1 and 3.0 import (ADR 0750-0753, 0765)."""

import io
import zipfile
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from openvet.core.errors import PermissionDenied, ValidationFailed
from openvet.core.uploads import UploadRefused
from openvet.learning import bank_services, grading, item_stats, papers, services
from openvet.learning.models import Answer, Question, QuestionKind, UnitKind
from openvet.learning.tests import qti_samples
from openvet.learning.tests.conftest import World
from openvet.learning.tests.test_views import client_for

D = Decimal


def matching(world: World, points: int = 3) -> Question:
    return services.question_add(
        actor=world.teacher,
        course=world.course,
        kind=QuestionKind.MATCHING,
        text="把刀具和用途配对",
        choices=["外圆车刀", "切断刀", "螺纹车刀"],
        answer=["车外圆", "切断工件", "车螺纹"],
        points=points,
    )


def pool_questions(world: World, pool: str, count: int, difficulty: int = 2) -> list[Question]:
    return [
        services.question_add(
            actor=world.teacher,
            course=world.course,
            kind=QuestionKind.SINGLE,
            text=f"{pool} {n}",
            choices=["对的", "错的"],
            answer=[0],
            pool=pool,
            difficulty=difficulty,
        )
        for n in range(count)
    ]


def quiz(world: World, **extra: Any) -> Any:
    values: dict[str, Any] = {
        "actor": world.teacher,
        "chapter": world.chapter,
        "kind": UnitKind.QUIZ,
        "title": "随机测验",
    }
    values.update(extra)
    return services.unit_add(**values)


def png_upload(name: str = "lathe.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


# Matching ------------------------------------------------------------------------------------


def test_matching_earns_one_share_per_right_pair() -> None:
    answer = ["车外圆", "切断工件", "车螺纹"]
    assert grading.auto_score(
        kind="matching", answer=answer, response=["车外圆", "切断工件", "车螺纹"], points=3
    ) == D(3)
    assert grading.auto_score(
        kind="matching", answer=answer, response=["车外圆", "车螺纹", "切断工件"], points=3
    ) == D("1.00")
    assert grading.auto_score(
        kind="matching", answer=answer, response=[" 车外圆 ", "切断工件"], points=2
    ) == D("1.33")
    assert grading.auto_score(kind="matching", answer=answer, response=[], points=3) == D(0)


def test_matching_question_is_checked_and_graded_on_the_paper(world: World) -> None:
    with pytest.raises(ValidationFailed) as refused:
        services.question_add(
            actor=world.teacher,
            course=world.course,
            kind=QuestionKind.MATCHING,
            text="配对",
            choices=["外圆车刀", "切断刀"],
            answer=["车外圆"],
        )
    assert "choices" in refused.value.details
    question = matching(world)
    unit = quiz(world, question_ids=[question.pk])
    attempt = services.attempt_start(actor=world.student_user, unit=unit)
    services.attempt_submit(
        actor=world.student_user,
        attempt=attempt,
        responses={question.pk: ["车外圆", "车螺纹", "切断工件"]},
    )
    attempt.refresh_from_db()
    assert attempt.score == D("1.00")
    assert attempt.max_score == D(3)
    assert Answer.objects.get(attempt=attempt).response == ["车外圆", "车螺纹", "切断工件"]


def test_question_picture_is_checked_and_served_to_the_course_only(
    world: World, other_world: World
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        services.question_add(
            actor=world.teacher,
            course=world.course,
            kind=QuestionKind.FILL,
            text="图中是什么？",
            answer=["卡盘"],
            image=SimpleUploadedFile("x.png", b"<svg onload=alert(1)>", content_type="image/png"),
        )
    assert "image" in refused.value.details
    question = services.question_add(
        actor=world.teacher,
        course=world.course,
        kind=QuestionKind.FILL,
        text="图中是什么？",
        answer=["卡盘"],
        image=png_upload(),
    )
    url = reverse("learning:question-image", args=[question.pk])
    shown = client_for(world.student_user).get(url)
    assert shown.status_code == 200
    assert shown["Content-Type"] == "image/png"
    assert client_for(other_world.teacher).get(url).status_code == 404
    assert client_for(other_world.student_user).get(url).status_code == 404


# Random papers -------------------------------------------------------------------------------


def test_each_attempt_draws_its_paper_once_and_is_graded_on_it(world: World) -> None:
    safety = pool_questions(world, "安全", 6)
    pool_questions(world, "编程", 2)
    fixed = matching(world)
    unit = quiz(
        world, question_ids=[fixed.pk], draws=[{"pool": "安全", "count": 3}], max_attempts=2
    )
    learner = world.student_user
    attempt = services.attempt_start(actor=learner, unit=unit)
    drawn = set(attempt.paper) - {fixed.pk}
    assert fixed.pk in attempt.paper
    assert len(drawn) == 3
    assert drawn <= {q.pk for q in safety}
    assert attempt.max_score == D(3 + 3)
    # Opening the quiz again returns the same paper, even after the bank grows.
    pool_questions(world, "安全", 4)
    assert services.attempt_start(actor=learner, unit=unit).paper == attempt.paper
    every = {q.pk: ["0"] for q in Question.objects.filter(pool="安全")}
    every[fixed.pk] = ["车外圆", "切断工件", "车螺纹"]
    services.attempt_submit(actor=learner, attempt=attempt, responses=every)
    attempt.refresh_from_db()
    assert sorted(Answer.objects.filter(attempt=attempt).values_list("question_id", flat=True)) == (
        sorted(attempt.paper)
    )
    assert attempt.score == D(6)
    second = services.attempt_start(actor=learner, unit=unit)
    assert second.pk != attempt.pk
    assert len(second.paper) == 4


def test_draws_by_difficulty_and_refused_when_the_pool_is_short(world: World) -> None:
    pool_questions(world, "安全", 2, difficulty=1)
    hard = pool_questions(world, "安全", 2, difficulty=3)
    unit = quiz(world, draws=[{"pool": "安全", "difficulty": 3, "count": 2}])
    assert sorted(papers.draw_paper(unit)) == sorted(q.pk for q in hard)
    with pytest.raises(ValidationFailed) as refused:
        quiz(world, draws=[{"pool": "安全", "difficulty": 3, "count": 3}])
    assert "2" in str(refused.value.details["draws"])
    with pytest.raises(ValidationFailed):
        quiz(world, draws=[{"pool": "安全", "count": 0}])
    with pytest.raises(ValidationFailed):
        quiz(world)  # neither questions nor draws


# Item statistics -----------------------------------------------------------------------------


def test_item_statistics_on_a_set_worked_by_hand() -> None:
    shares = [D(10 - n) / 10 for n in range(10)]  # 1.0, 0.9, ..., 0.1
    q1 = [1, 1, 0, 1, 0, 1, 0, 1, 0, 0]  # 1 point
    q2 = [2, 1, 2, 0, 1, 0, 0, 0, 0, 0]  # 2 points
    graded = []
    for n, share in enumerate(shares):
        items: dict[int, tuple[Decimal, int]] = {1: (D(q1[n]), 1), 2: (D(q2[n]), 2)}
        if n == 0:
            items[3] = (D(0), 1)
        if n == 9:
            items[3] = (D(1), 1)
        graded.append(item_stats.Paper(total_share=share, items=items))
    assert item_stats.group_size(10) == 3  # 27% of 10 = 2.7
    stats = {s.question_id: s for s in item_stats.item_statistics(graded, [1, 2, 3, 4])}
    # q1: 5 of 10 right; best three 2/3, weakest three 1/3.
    assert stats[1].difficulty == D("0.50")
    assert stats[1].discrimination == D("0.33")
    # q2: shares 1, .5, 1, 0, .5 and zeros: mean 0.3; best three 2.5/3, weakest three 0.
    assert stats[2].difficulty == D("0.30")
    assert stats[2].discrimination == D("0.83")
    # q3 was on two papers only: the best got it wrong, the weakest right.
    assert stats[3].answered == 2
    assert stats[3].difficulty == D("0.50")
    assert stats[3].discrimination == D("-1.00")
    assert stats[4].difficulty is None
    assert stats[4].discrimination is None


def test_statistics_page_for_teachers_of_the_course_only(world: World, other_world: World) -> None:
    unit, q1, q2 = world.quiz_unit()
    attempt = services.attempt_start(actor=world.student_user, unit=unit)
    services.attempt_submit(
        actor=world.student_user, attempt=attempt, responses={q1.pk: ["1"], q2.pk: ["0"]}
    )
    url = reverse("learning:question-statistics", args=[world.course.pk])
    page = client_for(world.teacher).get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "区分度" in body
    assert "27%" in body
    assert '<td class="text-end" data-difficulty>1.00</td>' in body  # q1 right
    assert '<td class="text-end" data-difficulty>0.50</td>' in body  # q2 half
    assert client_for(world.student_user).get(url).status_code == 403
    assert client_for(other_world.teacher).get(url).status_code == 404


# QTI 2.1 and 3.0 import ----------------------------------------------------------------------


def qti_upload(data: bytes, name: str = "bank.zip") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/zip")


def test_qti_package_is_imported_with_every_kind(world: World) -> None:
    upload = qti_upload(qti_samples.package(qti_samples.GOOD))
    count = bank_services.qti_import(
        actor=world.teacher, course=world.course, upload=upload, pool="导入"
    )
    assert count == 5
    imported = {q.source_id: q for q in Question.objects.filter(course=world.course)}
    assert imported["q-choice"].kind == "single"
    assert imported["q-choice"].answer == [1]
    assert "主轴" in imported["q-choice"].text
    assert imported["q-multiple"].kind == "multiple"
    assert imported["q-multiple"].answer == [0, 2]
    assert imported["q-multiple"].text == "哪些是防护用品？"
    assert imported["q-tf"].kind == "true_false"
    assert imported["q-tf"].answer == [False]
    assert imported["q-text"].kind == "fill"
    assert imported["q-text"].answer == ["毫米", "mm"]
    assert imported["q-text"].text == "图纸上的尺寸默认单位是 ____。"
    assert imported["q-match"].kind == "matching"
    assert imported["q-match"].choices == ["外圆车刀", "切断刀", "螺纹车刀"]
    assert imported["q-match"].answer == ["车外圆", "切断工件", "车螺纹"]
    assert {q.pool for q in imported.values()} == {"导入"}


def test_qti_3_package_is_imported_like_a_2_1_one(world: World) -> None:
    upload = qti_upload(qti_samples.package3(qti_samples.GOOD3))
    count = bank_services.qti_import(actor=world.teacher, course=world.course, upload=upload)
    assert count == 4
    imported = {q.source_id: q for q in Question.objects.filter(course=world.course)}
    assert imported["q3-choice"].kind == "single"
    assert imported["q3-choice"].choices == ["纵向进给", "横向进给"]
    assert imported["q3-choice"].answer == [0]
    assert imported["q3-text"].kind == "fill"
    assert imported["q3-text"].answer == ["转/分", "r/min"]
    assert imported["q3-text"].text == "主轴转速的单位是 ____。"
    assert imported["q3-match"].kind == "matching"
    assert imported["q3-match"].answer == ["测量外径", "检查螺距"]
    assert imported["q3-essay"].kind == "short"
    assert imported["q3-essay"].text == "说出开机前的三项检查。"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (
            qti_samples.package(
                {
                    **qti_samples.GOOD,
                    "items/hotspot.xml": qti_samples.HOTSPOT,
                    "items/broken.xml": "<assessmentItem><itemBody>",
                }
            ),
            ["hotspot.xml", "hotspotInteraction", "broken.xml"],
        ),
        (
            qti_samples.package(qti_samples.GOOD, listed=[*qti_samples.GOOD, "items/gone.xml"]),
            ["gone.xml"],
        ),
        (
            qti_samples.package({"items/bomb.xml": '<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'}),
            ["bomb.xml"],
        ),
        (b"not a zip at all", []),
    ],
)
def test_bad_qti_packages_import_nothing(world: World, data: bytes, words: list[str]) -> None:
    with pytest.raises(UploadRefused) as refused:
        bank_services.qti_import(actor=world.teacher, course=world.course, upload=qti_upload(data))
    for word in words:
        assert word in str(refused.value.message)
    assert not Question.objects.filter(course=world.course).exists()


def test_zip_without_manifest_is_refused(world: World) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("item.xml", qti_samples.CHOICE)
    with pytest.raises(UploadRefused, match=r"imsmanifest\.xml"):
        bank_services.qti_import(
            actor=world.teacher, course=world.course, upload=qti_upload(buffer.getvalue())
        )


def test_qti_import_page(world: World, other_world: World) -> None:
    url = reverse("learning:question-import", args=[world.course.pk])
    teacher = client_for(world.teacher)
    assert teacher.get(url).status_code == 200
    bad = teacher.post(
        url,
        {
            "file": qti_upload(qti_samples.package({"items/hotspot.xml": qti_samples.HOTSPOT})),
            "pool": "第一章",
        },
    )
    assert bad.status_code == 422
    body = bad.content.decode()
    assert "未导入任何试题" in body
    assert 'value="第一章"' in body
    done = teacher.post(url, {"file": qti_upload(qti_samples.package(qti_samples.GOOD))})
    assert done.status_code == 302
    assert Question.objects.filter(course=world.course).count() == 5
    assert client_for(other_world.teacher).get(url).status_code == 404
    assert client_for(world.student_user).get(url).status_code == 403
    with pytest.raises(PermissionDenied):
        bank_services.qti_import(
            actor=other_world.teacher,
            course=world.course,
            upload=qti_upload(qti_samples.package(qti_samples.GOOD)),
        )


# Pages ---------------------------------------------------------------------------------------


def test_teacher_adds_a_matching_question_and_a_random_quiz_on_the_pages(world: World) -> None:
    teacher = client_for(world.teacher)
    bank = reverse("learning:question-list", args=[world.course.pk])
    added = teacher.post(
        bank,
        {
            "kind": "matching",
            "text": "把刀具和用途配对",
            "choices": "外圆车刀 = 车外圆\n切断刀＝切断工件",
            "points": "2",
            "pool": "刀具",
            "difficulty": "3",
        },
    )
    assert added.status_code == 302
    question = Question.objects.get(course=world.course)
    assert question.choices == ["外圆车刀", "切断刀"]
    assert question.answer == ["车外圆", "切断工件"]
    assert (question.pool, question.difficulty) == ("刀具", 3)
    unfinished = teacher.post(
        bank, {"kind": "matching", "text": "配对", "choices": "外圆车刀\n切断刀", "points": "1"}
    )
    assert unfinished.status_code == 422
    add_unit = reverse("learning:unit-create", args=[world.course.pk, world.chapter.pk])
    made = teacher.post(
        add_unit,
        {"kind": "quiz", "title": "随机卷", "draw_count": "1", "draw_pool": "刀具"},
    )
    assert made.status_code == 302
    unit = world.course.units.get(title="随机卷")
    assert [d.count for d in unit.draws.all()] == [1]

    learner = client_for(world.student_user)
    started = learner.post(reverse("learning:attempt-start", args=[unit.pk]))
    page = learner.get(started.url).content.decode()
    assert f'name="q{question.pk}_0"' in page
    assert "外圆车刀" in page
    handed = learner.post(
        started.url, {f"q{question.pk}_0": "车外圆", f"q{question.pk}_1": "车外圆"}
    )
    assert handed.status_code == 302
    result = learner.get(started.url).content.decode()
    assert "1.00" in result
    assert "外圆车刀 → 车外圆" in result


def test_qti_reader_refuses_odd_items_without_crashing() -> None:
    from openvet.learning import qti

    odd = qti_samples.TEXT_ENTRY.replace(
        'mappedValue="1"/><mapEntry', 'mappedValue="lots"/><mapEntry'
    )
    with pytest.raises(qti.QtiError):
        qti.parse_item(odd.encode())
    two = qti_samples.CHOICE.replace(
        "</itemBody>", '<textEntryInteraction responseIdentifier="X"/></itemBody>'
    )
    with pytest.raises(qti.QtiError) as refused:
        qti.parse_item(two.encode())
    assert refused.value.reason == "interactions"
    with pytest.raises(qti.QtiError):
        qti.parse_item(b"<?xml version='1.0'?><!DOCTYPE a SYSTEM 'http://x/a.dtd'><a/>")
