"""Running a SCO: the unit page launches it, the launcher hands the runtime the learner's CMI
data, commits are checked and stored, completion and score reach the unit and the LRS; a
package's addresses cannot be forged or used to leave the package."""

import json
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from openvet.learning import package_services
from openvet.learning.models import Progress, ScoAttempt, UnitKind
from openvet.learning.tests.conftest import World
from openvet.learning.tests.packages import (
    GOLF_12,
    GOLF_2004,
    add_package,
    needs_golf,
    sample,
    small_scorm,
    upload,
    zip_of,
)
from openvet.learning.tests.test_views import client_for
from openvet.lrs.models import Statement


def _frame_src(client: Client, unit: Any, query: str = "") -> str:
    page = client.get(reverse("learning:unit-detail", args=[unit.pk]) + query)
    assert page.status_code == 200
    match = re.search(r'<iframe src="([^"]+)"[^>]*data-package-frame', page.content.decode())
    assert match is not None
    return match.group(1).replace("&amp;", "&")


def _launch(client: Client, unit: Any) -> dict[str, Any]:
    launcher = client.get(_frame_src(client, unit))
    assert launcher.status_code == 200
    found = re.search(
        r'<script id="sco-config" type="application/json">(.*?)</script>',
        launcher.content.decode(),
        re.S,
    )
    assert found is not None
    return dict(json.loads(found.group(1)))


def _commit(config: dict[str, Any], values: dict[str, str], finished: bool = False) -> Any:
    # The runtime posts without cookies: a fresh client, as from the packages' origin.
    return Client().post(
        config["commit_url"],
        data=json.dumps({"values": values, "finished": finished}),
        content_type="application/json",
    )


def _verbs(user: Any) -> list[str]:
    return [
        s.body["verb"]["display"]["en-US"]
        for s in Statement.objects.filter(actor_key__contains=str(user.pk)).order_by("id")
    ]


@needs_golf
def test_a_scorm_12_sco_runs_resumes_and_completes_the_unit(world: World) -> None:
    unit = add_package(world, sample(GOLF_12))
    student = client_for(world.student_user)
    config = _launch(student, unit)
    assert config["standard"] == "scorm12"
    assert config["values"]["cmi.core.entry"] == "ab-initio"
    assert config["values"]["cmi.core.lesson_status"] == "not attempted"
    assert config["values"]["cmi.core.student_name"] == "Stu"

    saved = _commit(
        config,
        {
            "cmi.core.lesson_status": "incomplete",
            "cmi.core.lesson_location": "3",
            "cmi.suspend_data": "page=3",
            "cmi.core.exit": "suspend",
            "cmi.core.session_time": "0000:02:30.00",
        },
        finished=True,
    )
    assert saved.status_code == 200
    assert saved.json()["completed"] is False
    attempt = ScoAttempt.objects.get(user=world.student_user)
    assert (attempt.exit, attempt.total_seconds) == ("suspend", 150)

    again = _launch(student, unit)  # resumed: the same attempt, its data, entry "resume"
    assert again["values"]["cmi.core.entry"] == "resume"
    assert again["values"]["cmi.core.lesson_location"] == "3"
    assert again["values"]["cmi.suspend_data"] == "page=3"
    assert again["values"]["cmi.core.total_time"] == "0000:02:30.00"
    done = _commit(
        again,
        {"cmi.core.lesson_status": "passed", "cmi.core.score.raw": "85", "cmi.core.exit": ""},
        finished=True,
    )
    assert done.json() == {
        "completed": True,
        "success": "passed",
        "score": "85",
        "message": done.json()["message"],
    }
    assert ScoAttempt.objects.filter(user=world.student_user).count() == 1
    progress = Progress.objects.get(unit=unit, user=world.student_user)
    assert progress.completed_at is not None
    verbs = _verbs(world.student_user)
    for verb in ("viewed", "attempted", "suspended", "passed", "scored", "completed", "terminated"):
        assert verb in verbs
    # Once passed and ended, opening it again starts a second attempt from the beginning.
    third = _launch(student, unit)
    assert third["values"]["cmi.core.entry"] == "ab-initio"
    assert ScoAttempt.objects.filter(user=world.student_user).count() == 2


@needs_golf
def test_a_scorm_2004_sco_is_judged_by_completion_and_success(world: World) -> None:
    unit = add_package(world, sample(GOLF_2004))
    student = client_for(world.student_user)
    config = _launch(student, unit)
    assert config["standard"] == "scorm2004"
    assert config["values"]["cmi.completion_status"] == "unknown"
    assert config["values"]["cmi._version"] == "1.0"
    response = _commit(
        config,
        {
            "cmi.completion_status": "completed",
            "cmi.success_status": "failed",
            "cmi.score.scaled": "0.4",
            "cmi.session_time": "PT5M",
            "cmi.exit": "normal",
            "cmi.interactions.0.id": "q1",
            "cmi.interactions.0.type": "choice",
            "cmi.interactions.0.learner_response": "b",
            "cmi.interactions.0.result": "incorrect",
        },
        finished=True,
    )
    assert response.status_code == 200
    assert response.json()["completed"] is True
    assert response.json()["success"] == "failed"
    attempt = ScoAttempt.objects.get(user=world.student_user)
    assert attempt.total_seconds == 300
    assert attempt.cmi["cmi.interactions.0.id"] == "q1"
    assert "failed" in _verbs(world.student_user)
    assert Progress.objects.get(unit=unit, user=world.student_user).completed_at is not None


def test_bad_values_are_refused_with_their_error_codes_and_nothing_is_stored(
    world: World,
) -> None:
    unit = add_package(world, upload(small_scorm()))
    config = _launch(client_for(world.student_user), unit)
    response = _commit(
        config,
        {
            "cmi.core.lesson_location": "7",
            "cmi.core.lesson_status": "finished",
            "cmi.core.student_id": "someone else",
        },
    )
    assert response.status_code == 422
    assert response.json()["details"] == {
        "cmi.core.lesson_status": "405",
        "cmi.core.student_id": "403",
    }
    assert ScoAttempt.objects.get(user=world.student_user).cmi == {}
    assert Client().post(config["commit_url"], data="not json", content_type="x").status_code in (
        200,
        422,
    )


def test_the_mastery_score_judges_a_12_sco(world: World) -> None:
    unit = add_package(world, upload(small_scorm()))  # masteryscore 80
    config = _launch(client_for(world.student_user), unit)
    assert config["values"]["cmi.student_data.mastery_score"] == "80"
    response = _commit(config, {"cmi.core.lesson_status": "completed", "cmi.core.score.raw": "70"})
    assert response.json()["success"] == "failed"
    assert response.json()["completed"] is False
    assert Progress.objects.get(unit=unit, user=world.student_user).completed_at is None


def test_a_forged_or_altered_token_is_refused(world: World) -> None:
    unit = add_package(world, upload(small_scorm()))
    config = _launch(client_for(world.student_user), unit)
    token = config["commit_url"].rstrip("/").rsplit("/", 1)[1]
    forged = package_services.package_token(
        package=unit.package, user_id=world.outsider.pk, attempt_id=0, item_id=0
    )
    assert (
        Client()
        .post(
            reverse("learning:package-commit", args=[token[:-2] + "xx"]),
            data="{}",
            content_type="application/json",
        )
        .status_code
        == 404
    )
    assert (
        Client()
        .post(
            reverse("learning:package-commit", args=[forged]),
            data="{}",
            content_type="application/json",
        )
        .status_code
        == 404
    )
    assert (
        Client().get(reverse("learning:package-file", args=[token, "../../x"])).status_code == 404
    )


def test_package_files_are_served_under_the_package_policy(world: World) -> None:
    unit = add_package(world, upload(small_scorm()))
    src = _frame_src(client_for(world.student_user), unit)
    launcher = Client().get(src)
    policy = launcher["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in policy
    assert "sandbox" not in policy
    assert "X-Frame-Options" not in launcher
    token = src.split("/packages/", 1)[1].split("/", 1)[0]
    page = Client().get(reverse("learning:package-file", args=[token, "index.html"]))
    assert page.status_code == 200
    assert b"SCO" in b"".join(page.streaming_content)
    assert page["Content-Type"].startswith("text/html")
    assert "Set-Cookie" not in page

    h5 = add_package(
        world, upload(zip_of({"index.html": "<html>H5</html>"})), kind=UnitKind.H5, title="H5"
    )
    h5_src = _frame_src(client_for(world.student_user), h5)
    served = Client().get(h5_src)
    assert served.status_code == 200
    assert "sandbox allow-scripts" in served["Content-Security-Policy"]
    assert "allow-same-origin" not in served["Content-Security-Policy"]
    assert Progress.objects.get(unit=h5, user=world.student_user).completed_at is not None


def test_a_teacher_previews_without_a_trace_and_sees_results(world: World) -> None:
    unit = add_package(world, upload(small_scorm()))
    _commit(_launch(client_for(world.student_user), unit), {"cmi.core.lesson_status": "passed"})
    teacher = client_for(world.teacher)
    config = _launch(teacher, unit)
    assert config["commit_url"] == ""
    assert config["values"]["cmi.core.lesson_mode"] == "browse"
    page = teacher.get(reverse("learning:unit-detail", args=[unit.pk])).content.decode()
    assert "Stu" in page
    assert not ScoAttempt.objects.filter(user=world.teacher).exists()


@pytest.mark.usefixtures("other_world")
def test_another_schools_student_cannot_open_the_package(world: World, other_world: World) -> None:
    unit = add_package(world, upload(small_scorm()))
    outsider = client_for(other_world.student_user)
    assert outsider.get(reverse("learning:unit-detail", args=[unit.pk])).status_code == 404
    assert not ScoAttempt.objects.exists()


def test_a_commit_arriving_late_does_not_undo_a_later_one(world: World) -> None:
    unit = add_package(world, upload(small_scorm()))
    config = _launch(client_for(world.student_user), unit)
    assert len(config["session"]) == 16

    def post(seq: int, location: str) -> Any:
        return Client().post(
            config["commit_url"],
            data=json.dumps(
                {
                    "values": {"cmi.core.lesson_location": location},
                    "session": config["session"],
                    "seq": seq,
                }
            ),
            content_type="application/json",
        )

    assert post(2, "5").status_code == 200
    assert post(1, "3").status_code == 200  # sent earlier, arrived later: ignored
    attempt = ScoAttempt.objects.get(user=world.student_user)
    assert attempt.cmi["cmi.core.lesson_location"] == "5"
    assert post(3, "6").status_code == 200
    attempt.refresh_from_db()
    assert attempt.cmi["cmi.core.lesson_location"] == "6"
