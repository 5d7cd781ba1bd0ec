"""Process definitions: the service rules and the school administrator's pages."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from openvet.core.errors import Conflict, ValidationFailed
from openvet.core.models import AuditEntry
from openvet.core.roles import Role
from openvet.identity.tests.factories import user_with_role
from openvet.workflow import selectors, services
from openvet.workflow.contracts import StepSpec
from openvet.workflow.models import ProcessDefinition, ProcessInstance, Task, TaskStatus
from openvet.workflow.tests.conftest import CODE, STEPS, Outcomes, Tree

pytestmark = pytest.mark.django_db

ONLY_ADMIN = [StepSpec(name="Only admin", roles=("school_admin",), org_level="school")]


@pytest.fixture(autouse=True)
def _no_totp(settings: Any) -> None:
    settings.REQUIRE_ADMIN_TOTP = False


def as_user(user: Any, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def start(tree: Tree, subject_id: int = 1, **payload: Any) -> ProcessInstance:
    return services.instance_start(
        actor=tree.applicant,
        code=CODE,
        subject_type="tests.thing",
        subject_id=subject_id,
        title=f"Leave {subject_id}",
        org=tree.klass,
        payload=payload,
    )


def open_roles(instance: ProcessInstance) -> list[str]:
    return sorted(
        Task.objects.filter(instance=instance, status=TaskStatus.OPEN).values_list(
            "role", flat=True
        )
    )


def step_row(order: int, name: str, roles: list[str], **extra: Any) -> dict[str, Any]:
    row = {
        "order": order,
        "name": name,
        "name_msgid": "",
        "roles": roles,
        "org_level": "school",
        "deadline": "",
        "deadline_unit": "hours",
        "condition_field": "",
        "condition_operator": "in",
        "condition_values": "",
    }
    row.update(extra)
    return row


def post_data(
    rows: list[dict[str, Any]], *, based_on_id: Any = "", action: str = "save", initial: int = 0
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "action": action,
        "based_on_id": based_on_id,
        "steps-TOTAL_FORMS": len(rows),
        "steps-INITIAL_FORMS": initial,
        "steps-MIN_NUM_FORMS": 0,
        "steps-MAX_NUM_FORMS": 20,
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            if value is False:
                continue
            data[f"steps-{index}-{key}"] = "on" if value is True else value
    return data


def create_url(tree: Tree) -> str:
    return reverse("workflow:definition-create", args=[tree.school.pk, CODE])


def detail_url(tree: Tree) -> str:
    return reverse("workflow:definition-detail", args=[tree.school.pk, CODE])


# Service rules -----------------------------------------------------------------------------


def test_running_requests_finish_on_their_version_while_new_ones_take_the_new(
    tree: Tree, outcomes: Outcomes
) -> None:
    running = start(tree, subject_id=1, days=3)
    version = services.definition_create(
        actor=tree.admin, code=CODE, school=tree.school, steps=ONLY_ADMIN
    )
    fresh = start(tree, subject_id=2, days=3)

    assert (running.definition.school, running.definition.version) == (None, 1)
    assert fresh.definition == version
    assert open_roles(fresh) == ["school_admin"]
    services.task_decide(
        actor=tree.counsellor, task=Task.objects.get(instance=running), decision="approve"
    )
    # The running request goes on to its second step, which the new version no longer has.
    assert open_roles(running) == ["department_head"]
    running.refresh_from_db()
    assert running.definition.version == 1


def test_a_stale_editor_is_told_and_nothing_is_written(tree: Tree, outcomes: Outcomes) -> None:
    first = services.definition_create(
        actor=tree.admin, code=CODE, school=tree.school, steps=ONLY_ADMIN
    )
    services.definition_create(
        actor=tree.admin, code=CODE, school=tree.school, steps=ONLY_ADMIN, based_on_id=first.pk
    )

    with pytest.raises(Conflict):
        services.definition_create(
            actor=tree.admin,
            code=CODE,
            school=tree.school,
            steps=ONLY_ADMIN,
            based_on_id=first.pk,
        )
    versions = ProcessDefinition.objects.filter(code=CODE, school=tree.school)
    assert sorted(versions.values_list("version", flat=True)) == [1, 2]


def test_names_and_deadlines_are_checked(tree: Tree, outcomes: Outcomes) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.definition_create(
            actor=tree.admin,
            code=CODE,
            school=tree.school,
            steps=[
                StepSpec(name=" ", roles=("school_admin",), org_level="school"),
                StepSpec(
                    name="Late",
                    roles=("school_admin",),
                    org_level="school",
                    deadline_hours=24 * 366,
                ),
            ],
        )
    assert set(caught.value.details) == {"steps.1.name", "steps.2.deadline_hours"}
    assert not ProcessDefinition.objects.filter(code=CODE).exists()


def test_a_new_version_is_audited_with_both_versions(tree: Tree, outcomes: Outcomes) -> None:
    services.definition_for(code=CODE, school=tree.school)
    version = services.definition_create(
        actor=tree.admin, code=CODE, school=tree.school, steps=ONLY_ADMIN
    )

    entry = AuditEntry.objects.get(object_type="workflow.processdefinition", object_id=version.pk)
    assert entry.actor == tree.admin
    assert entry.org_path == tree.school.path
    assert entry.changes == {
        "version": [1, 1],
        "steps": [["Counsellor", "Department", "School"], ["Only admin"]],
    }


def test_conditions_compare_the_values_as_text(tree: Tree, outcomes: Outcomes) -> None:
    services.definition_create(
        actor=tree.admin,
        code=CODE,
        school=tree.school,
        steps=[
            StepSpec(
                name="Long leave",
                roles=("school_admin",),
                org_level="school",
                condition={"field": "days", "in": ["30", "60"]},
            ),
            StepSpec(name="Counsellor", roles=("counsellor",), org_level="subject"),
        ],
    )

    assert open_roles(start(tree, subject_id=1, days=30)) == ["school_admin"]
    assert open_roles(start(tree, subject_id=2, days=3)) == ["counsellor"]


def test_in_force_falls_back_to_the_registered_default_without_storing_it(
    tree: Tree, outcomes: Outcomes
) -> None:
    info = selectors.definition_in_force(code=CODE, school=tree.school)

    assert (info.id, info.version, info.school_id, info.steps) == (None, 1, None, STEPS)
    assert not ProcessDefinition.objects.filter(code=CODE).exists()
    own = services.definition_create(
        actor=tree.admin, code=CODE, school=tree.school, steps=ONLY_ADMIN
    )
    info = selectors.definition_in_force(code=CODE, school=tree.school)
    assert (info.id, info.school_id, [s.name for s in info.steps]) == (
        own.pk,
        tree.school.pk,
        ["Only admin"],
    )


# Pages: who may see and change -------------------------------------------------------------


def test_the_list_shows_every_kind_with_the_version_in_force(
    tree: Tree, outcomes: Outcomes, django_assert_max_num_queries: Any
) -> None:
    services.definition_create(actor=tree.admin, code=CODE, school=tree.school, steps=ONLY_ADMIN)
    client = as_user(tree.admin)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("workflow:definition-list"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Leave" in page
    assert "This school · version 1" in page
    assert detail_url(tree) in page


def test_only_administrators_see_the_navigation_entry(tree: Tree, outcomes: Outcomes) -> None:
    url = reverse("workflow:definition-list")

    assert url in as_user(tree.admin).get(reverse("workflow:task-list")).content.decode()
    assert url not in as_user(tree.counsellor).get(reverse("workflow:task-list")).content.decode()


def test_staff_without_the_capability_get_403(tree: Tree, outcomes: Outcomes) -> None:
    client = as_user(tree.head)

    assert client.get(reverse("workflow:definition-list")).status_code == 403
    assert client.get(detail_url(tree)).status_code == 403
    response = client.post(create_url(tree), post_data([step_row(1, "x", ["school_admin"])]))
    assert response.status_code == 403
    assert not ProcessDefinition.objects.exists()


def test_another_schools_admin_gets_404_and_changes_nothing(
    tree: Tree, other_tree: Tree, outcomes: Outcomes
) -> None:
    client = as_user(other_tree.admin)

    assert client.get(detail_url(tree)).status_code == 404
    assert client.get(create_url(tree)).status_code == 404
    assert (
        client.get(reverse("workflow:definition-list"), {"school": tree.school.pk}).status_code
        == 404
    )
    response = client.post(create_url(tree), post_data([step_row(1, "x", ["school_admin"])]))
    assert response.status_code == 404
    assert not ProcessDefinition.objects.exists()
    # Their own school's list does not show the other school's version either.
    services.definition_create(actor=tree.admin, code=CODE, school=tree.school, steps=ONLY_ADMIN)
    assert "This school" not in client.get(reverse("workflow:definition-list")).content.decode()


def test_a_regional_admin_reads_but_does_not_change(
    tree: Tree, other_tree: Tree, outcomes: Outcomes
) -> None:
    regional = user_with_role(Role.REGIONAL_ADMIN, tree.school.parent)
    client = as_user(regional)

    listing = client.get(reverse("workflow:definition-list"), {"school": other_tree.school.pk})
    assert listing.status_code == 200
    assert other_tree.school.name in listing.content.decode()
    detail = client.get(detail_url(tree))
    assert detail.status_code == 200
    assert create_url(tree) not in detail.content.decode()
    assert client.get(create_url(tree)).status_code == 403


def test_an_unknown_kind_is_404(tree: Tree, outcomes: Outcomes) -> None:
    url = reverse("workflow:definition-detail", args=[tree.school.pk, "tests.nothing"])
    assert as_user(tree.admin).get(url).status_code == 404


# Pages: making a new version ---------------------------------------------------------------


def test_the_form_starts_from_the_steps_in_force(tree: Tree, outcomes: Outcomes) -> None:
    page = as_user(tree.admin).get(create_url(tree)).content.decode()

    assert 'name="steps-TOTAL_FORMS" value="3"' in page
    assert 'name="steps-2-condition_field" value="days"' in page
    assert 'name="steps-0-deadline" value="1"' in page  # 24 hours shown as one day
    assert "Platform default · version 1" in page


def test_saving_reorders_removes_and_converts_days(tree: Tree, outcomes: Outcomes) -> None:
    rows = [
        step_row(2, "Counsellor", ["counsellor"], org_level="subject", DELETE=True),
        step_row(3, "Department", ["department_head"], org_level="department"),
        step_row(
            1,
            "Both admins",
            ["school_admin", "department_head"],
            countersign=True,
            deadline="2",
            deadline_unit="days",
            condition_field="days",
            condition_operator="not_in",
            condition_values="1, 2\uff0c3",
        ),
    ]
    response = as_user(tree.admin).post(create_url(tree), post_data(rows, initial=3))

    assert response.status_code == 302
    assert response["Location"] == detail_url(tree)
    version = ProcessDefinition.objects.get(code=CODE, school=tree.school)
    steps = list(version.steps.order_by("order"))
    assert [(s.order, s.name, s.mode) for s in steps] == [
        (1, "Both admins", "all"),
        (2, "Department", "any"),
    ]
    assert steps[0].roles == ["school_admin", "department_head"]
    assert steps[0].deadline_hours == 48
    assert steps[0].condition == {"field": "days", "not_in": ["1", "2", "3"]}
    detail = as_user(tree.admin).get(detail_url(tree)).content.decode()
    assert "This school · version 1" in detail
    assert "only when days is none of 1, 2, 3" in detail


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            [step_row(1, "A", ["school_admin"]), step_row(1, "B", ["counsellor"])],
            "Two steps cannot share the order number 1.",
        ),
        ([step_row(1, "A", ["dean"])], "Select a valid choice. dean is not one of"),
        ([step_row(1, "A", [])], "Choose at least one role."),
        ([step_row(1, "A", ["school_admin"], DELETE=True)], "A process needs at least one step."),
        ([step_row(1, "A", ["school_admin"], deadline="0")], "greater than or equal to 1"),
        (
            [step_row(1, "A", ["school_admin"], deadline="400", deadline_unit="days")],
            "A deadline is between one hour and one year.",
        ),
        (
            [step_row(1, "A", ["school_admin"], condition_field="days")],
            "List the values the condition checks.",
        ),
        (
            [step_row(1, "A", ["school_admin"], condition_values="3")],
            "Name the field the values are compared with.",
        ),
        (
            [step_row(1, "A", ["school_admin"], condition_field="no spaces", condition_values="3")],
            "Use the field&#x27;s code: letters, digits and underscores.",
        ),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(
    tree: Tree, outcomes: Outcomes, rows: list[dict[str, Any]], message: str
) -> None:
    response = as_user(tree.admin).post(create_url(tree), post_data(rows, initial=len(rows)))

    assert response.status_code == 422
    assert message in response.content.decode()
    assert not ProcessDefinition.objects.exists()


def test_clashing_order_numbers_are_marked_on_both_rows(tree: Tree, outcomes: Outcomes) -> None:
    rows = [
        step_row(1, "A", ["school_admin"]),
        step_row(2, "B", ["counsellor"]),
        step_row(1, "C", ["counsellor"]),
    ]
    page = as_user(tree.admin).post(create_url(tree), post_data(rows, initial=3)).content.decode()

    assert page.count("Used by another step.") == 2
    assert 'id="id_steps-0-order_error"' in page
    assert 'id="id_steps-2-order_error"' in page
    assert 'id="id_steps-1-order_error"' not in page


def test_messages_are_translated(tree: Tree, outcomes: Outcomes) -> None:
    rows = [step_row(1, "A", ["school_admin"]), step_row(1, "B", ["counsellor"])]
    response = as_user(tree.admin, "zh-hans").post(create_url(tree), post_data(rows, initial=2))

    with translation.override("zh-hans"):
        expected = translation.gettext("Two steps cannot share the order number %(order)s.")
    assert expected != "Two steps cannot share the order number %(order)s."
    assert expected % {"order": 1} in response.content.decode()


def test_adding_a_step_keeps_the_rows_and_saves_nothing(tree: Tree, outcomes: Outcomes) -> None:
    rows = [step_row(2, "Second", ["counsellor"]), step_row(1, "First", ["school_admin"])]
    response = as_user(tree.admin).post(create_url(tree), post_data(rows, action="add", initial=2))

    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="steps-TOTAL_FORMS" value="3"' in page
    # Renumbered in their order, the blank row numbered after them.
    assert page.index('value="First"') < page.index('value="Second"')
    assert 'name="steps-2-order" value="3"' in page
    assert not ProcessDefinition.objects.exists()


def test_a_blank_added_row_is_ignored_on_save(tree: Tree, outcomes: Outcomes) -> None:
    rows = [step_row(1, "Only", ["school_admin"]), {"order": 2, "org_level": "school"}]
    data = post_data(rows, initial=1)
    data.update({"steps-1-deadline_unit": "hours", "steps-1-condition_operator": "in"})
    response = as_user(tree.admin).post(create_url(tree), data)

    assert response.status_code == 302
    version = ProcessDefinition.objects.get(code=CODE, school=tree.school)
    assert list(version.steps.values_list("name", flat=True)) == ["Only"]


def test_an_unchanged_translated_name_keeps_its_message_id(tree: Tree, outcomes: Outcomes) -> None:
    with translation.override("zh-hans"):
        shown = translation.gettext("Counsellor")
    rows = [step_row(1, shown, ["counsellor"], name_msgid="Counsellor", org_level="subject")]
    response = as_user(tree.admin, "zh-hans").post(create_url(tree), post_data(rows, initial=1))

    assert response.status_code == 302
    version = ProcessDefinition.objects.get(code=CODE, school=tree.school)
    assert version.steps.get().name == "Counsellor"


def test_saving_on_a_stale_page_shows_the_conflict(tree: Tree, outcomes: Outcomes) -> None:
    first = services.definition_create(
        actor=tree.admin, code=CODE, school=tree.school, steps=ONLY_ADMIN
    )
    services.definition_create(actor=tree.admin, code=CODE, school=tree.school, steps=ONLY_ADMIN)

    response = as_user(tree.admin).post(
        create_url(tree),
        post_data([step_row(1, "Late", ["school_admin"])], based_on_id=first.pk, initial=1),
    )
    assert response.status_code == 409
    assert "Someone saved another version meanwhile" in response.content.decode()
    assert ProcessDefinition.objects.filter(school=tree.school).count() == 2


# API ---------------------------------------------------------------------------------------

API_STEP = {
    "name": "Academic affairs",
    "roles": ["school_admin"],
    "org_level": "school",
    "mode": "all",
    "condition": {"field": "days", "in": ["30"]},
    "deadline_hours": 48,
}


def test_api_lists_and_reads_the_definitions_in_force(tree: Tree, outcomes: Outcomes) -> None:
    client = as_user(tree.admin)

    listing = client.get("/api/v1/workflow/process-definitions").json()
    mine = next(item for item in listing["items"] if item["code"] == CODE)
    assert listing["count"] == len(listing["items"])
    assert (mine["id"], mine["version"], mine["school_id"], len(mine["steps"])) == (
        None,
        1,
        None,
        3,
    )
    one = client.get(f"/api/v1/workflow/process-definitions/{CODE}", {"school_id": tree.school.pk})
    assert one.status_code == 200
    assert one.json()["steps"][0] == {
        "name": "Counsellor",
        "roles": ["counsellor"],
        "org_level": "subject",
        "mode": "any",
        "condition": {},
        "deadline_hours": 24,
    }


def test_api_puts_a_new_version_in_force(tree: Tree, outcomes: Outcomes) -> None:
    response = as_user(tree.admin).post(
        f"/api/v1/workflow/process-definitions/{CODE}/versions",
        {"school_id": tree.school.pk, "steps": [API_STEP]},
        content_type="application/json",
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["version"], body["school_id"], body["steps"]) == (1, tree.school.pk, [API_STEP])
    assert body["id"] == ProcessDefinition.objects.get(code=CODE, school=tree.school).pk


def test_api_refuses_bad_steps_with_details(tree: Tree, outcomes: Outcomes) -> None:
    bad = {**API_STEP, "roles": ["dean"], "condition": {"field": "days"}}
    response = as_user(tree.admin).post(
        f"/api/v1/workflow/process-definitions/{CODE}/versions",
        {"school_id": tree.school.pk, "steps": [bad]},
        content_type="application/json",
    )

    assert response.status_code == 422
    assert set(response.json()["details"]) == {"steps.1.roles", "steps.1.condition"}
    assert not ProcessDefinition.objects.exists()


def test_api_keeps_each_school_to_its_own(tree: Tree, other_tree: Tree, outcomes: Outcomes) -> None:
    other = as_user(other_tree.admin)

    read = other.get(f"/api/v1/workflow/process-definitions/{CODE}", {"school_id": tree.school.pk})
    assert read.status_code == 404
    written = other.post(
        f"/api/v1/workflow/process-definitions/{CODE}/versions",
        {"school_id": tree.school.pk, "steps": [API_STEP]},
        content_type="application/json",
    )
    assert written.status_code == 404
    assert as_user(tree.head).get("/api/v1/workflow/process-definitions").status_code == 403
    assert not ProcessDefinition.objects.exists()
