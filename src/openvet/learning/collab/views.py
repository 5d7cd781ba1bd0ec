"""Pages of course groups and group documents (ADR 0756-0757, 0762): the course's groups (the
teacher makes, deals, renames, moves learners between and deletes them; a learner is sent to
their own), a group with its documents, a document
with its edit form and comments, its history with differences, and an old version to restore.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from openvet.core.errors import NotFound
from openvet.core.view_helpers import page, service_call
from openvet.learning.collab import forms, selectors, services
from openvet.learning.collab.models import CourseGroup, GroupDocument


def course_card(actor: Any, course: Any, access: Any) -> dict[str, Any]:
    """What a learner's course page shows of their group: its name, members and documents."""
    if not access.is_learner or access.is_teacher:
        return {}
    group = selectors.own_group(actor=actor, course=course)
    if group is None:
        return {"my_group": None, "show_my_group": True}
    return {
        "show_my_group": True,
        "my_group": group,
        "my_group_members": list(
            group.members.select_related("user").order_by("user__full_name", "user_id")
        ),
        "my_group_documents": list(selectors.documents_of(group)[:5]),
    }


def _int(value: Any) -> int:
    return int(value) if str(value or "").isdigit() else 0


@page
def group_list(request: HttpRequest, course_id: int) -> HttpResponse:
    course, teaches = selectors.member_course(actor=request.user, course_id=course_id)
    if not teaches:
        own = selectors.own_group(actor=request.user, course=course)
        if own is not None:
            return redirect("learning:group-detail", group_id=own.pk)
        return render(request, "learning/collab/group_list.html", {"course": course})
    learners = selectors.learners_of(course)
    groups = list(selectors.groups_with_members(course))
    grouped = {m.user_id for g in groups for m in g.members.all()}
    free = [(x.user_id, f"{x.name}（{x.number}）") for x in learners if x.user_id not in grouped]
    action = request.POST.get("action", "")
    group_form = forms.GroupForm(request.POST if action == "create" else None, choices=free)
    deal_form = forms.DealForm(request.POST if action == "deal" else None)
    renamed = _int(request.POST.get("group")) if action == "rename" else 0
    rename_forms = {
        group.pk: forms.RenameForm(
            request.POST if group.pk == renamed else None,
            initial={"name": group.name},
            prefix=f"g{group.pk}",
        )
        for group in groups
    }
    status = 200
    if request.method == "POST":
        done = _group_action(request, course, action, group_form, deal_form, rename_forms)
        if done:
            return redirect("learning:group-list", course_id=course.pk)
        status = 422 if action in ("create", "deal", "rename") else 400
        if action == "delete":
            status = 409
    return render(
        request,
        "learning/collab/group_list.html",
        {
            "course": course,
            "teaches": True,
            "groups": groups,
            "cards": [(group, rename_forms[group.pk]) for group in groups],
            "learners": learners,
            "free_count": len(free),
            "names": {x.user_id: x.name for x in learners},
            "group_form": group_form,
            "deal_form": deal_form,
            "renamed": renamed,
        },
        status=status,
    )


def _group_action(
    request: HttpRequest,
    course: Any,
    action: str,
    group_form: forms.GroupForm,
    deal_form: forms.DealForm,
    rename_forms: dict[int, forms.RenameForm],
) -> bool:
    """Run the teacher's action; True when it succeeded (the page then reloads)."""
    if action == "create" and group_form.is_valid():
        data = group_form.cleaned_data
        return service_call(
            request,
            lambda: services.group_create(
                actor=request.user, course=course, name=data["name"], learner_ids=data["learners"]
            ),
            form=group_form,
            success=_("The group was made."),
        ).ok
    if action == "deal" and deal_form.is_valid():
        data = deal_form.cleaned_data
        return service_call(
            request,
            lambda: services.groups_deal(
                actor=request.user,
                course=course,
                size=data["size"],
                count=data["count"],
                order=data["order"],
            ),
            form=deal_form,
            success=_("The learners were dealt into groups at random.")
            if data["order"] == services.RANDOM
            else _("The learners were dealt into groups in student-number order."),
        ).ok
    if action in ("rename", "delete"):
        return _group_change(request, course, action, rename_forms)
    if action == "move":
        target_id = _int(request.POST.get("group"))
        target = CourseGroup.objects.filter(pk=target_id, course=course).first()
        if target_id and target is None:
            raise NotFound()
        return service_call(
            request,
            lambda: services.member_move(
                actor=request.user,
                course=course,
                learner_id=_int(request.POST.get("learner")),
                group=target,
            ),
            success=_("The learner was moved."),
        ).ok
    return False


def _group_change(
    request: HttpRequest, course: Any, action: str, rename_forms: dict[int, forms.RenameForm]
) -> bool:
    """Rename or delete one of the course's groups (another course's group: 404)."""
    group_id = _int(request.POST.get("group"))
    group = CourseGroup.objects.filter(pk=group_id, course=course).select_related("course").first()
    if group is None:
        raise NotFound()
    if action == "delete":
        name = group.name
        return service_call(
            request,
            lambda: services.group_delete(actor=request.user, group=group),
            success=_("The group %(name)s was deleted.") % {"name": name},
        ).ok
    form = rename_forms[group.pk]
    if not form.is_valid():
        return False
    return service_call(
        request,
        lambda: services.group_rename(
            actor=request.user, group=group, name=form.cleaned_data["name"]
        ),
        form=form,
        success=_("The group was renamed."),
    ).ok


@page
def group_detail(request: HttpRequest, group_id: int) -> HttpResponse:
    group, teaches = selectors.group_get_for(actor=request.user, group_id=group_id)
    is_member = selectors.is_member(group, request.user)
    form = forms.DocumentForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            outcome = service_call(
                request,
                lambda: services.document_create(
                    actor=request.user, group=group, title=data["title"], text=data["text"]
                ),
                form=form,
                success=_("The document was saved as version 1."),
            )
            if outcome.ok and outcome.value is not None:
                return redirect("learning:document-detail", document_id=outcome.value.pk)
        status = 422
    return render(
        request,
        "learning/collab/group_detail.html",
        {
            "group": group,
            "course": group.course,
            "teaches": teaches,
            "is_member": is_member,
            "members": list(group.members.select_related("user").order_by("user__full_name")),
            "documents": list(selectors.documents_of(group).select_related("created_by")),
            "form": form,
        },
        status=status,
    )


@page
def document_detail(request: HttpRequest, document_id: int) -> HttpResponse:
    document, teaches = selectors.document_get_for(actor=request.user, document_id=document_id)
    newest = selectors.version_get(document=document, number=document.version)
    action = request.POST.get("action", "")
    edit_form = forms.EditForm(
        request.POST if action == "save" else None,
        initial={"text": newest.source, "base_version": document.version},
    )
    comment_form = forms.CommentForm(request.POST if action == "comment" else None)
    status, conflict = 200, None
    if action == "save" and edit_form.is_valid():
        data = edit_form.cleaned_data
        outcome = service_call(
            request,
            lambda: services.document_save(
                actor=request.user,
                document=document,
                text=data["text"],
                base_version=data["base_version"],
            ),
            form=edit_form,
            success=_("Your changes were saved as a new version."),
        )
        if outcome.ok:
            return redirect("learning:document-detail", document_id=document.pk)
        if _is_conflict(outcome.errors):
            conflict = _conflict(document, edit_form, data["text"])
            newest = conflict["newest"]
    elif action == "comment" and comment_form.is_valid():
        posted = service_call(
            request,
            lambda: services.comment_add(
                actor=request.user, document=document, text=comment_form.cleaned_data["text"]
            ),
            form=comment_form,
            success=_("Your comment was posted."),
        )
        if posted.ok:
            return redirect("learning:document-detail", document_id=document.pk)
    if request.method == "POST":
        status = 409 if conflict else (422 if action in ("save", "comment") else 400)
    return render(
        request,
        "learning/collab/document_detail.html",
        {
            "document": document,
            "group": document.group,
            "course": document.group.course,
            "teaches": teaches,
            "is_member": selectors.is_member(document.group, request.user),
            "newest": newest,
            "edit_form": edit_form,
            "comment_form": comment_form,
            "comments": list(selectors.comments_of(document)),
            "conflict": conflict,
        },
        status=status,
    )


def _is_conflict(errors: dict[str, str]) -> bool:
    return str(services.EditConflict.default_message) in errors.values()


def _conflict(document: GroupDocument, form: forms.EditForm, text: str) -> dict[str, Any]:
    """The newest version, what changed from it to the user's text, and a form that keeps
    the text and now starts from the newest version (saving again is a deliberate choice)."""
    document.refresh_from_db()
    newest = selectors.version_get(document=document, number=document.version)
    form.data = {**dict(form.data.items()), "base_version": str(document.version)}
    return {"newest": newest, "diff": selectors.diff_lines(newest.source, text)}


@page
def document_history(request: HttpRequest, document_id: int) -> HttpResponse:
    document, _teaches = selectors.document_get_for(actor=request.user, document_id=document_id)
    versions = list(selectors.versions_of(document))
    older, newer = _int(request.GET.get("a")), _int(request.GET.get("b"))
    diff = None
    if older and newer:
        diff = selectors.diff_lines(
            selectors.version_get(document=document, number=older).source,
            selectors.version_get(document=document, number=newer).source,
        )
    return render(
        request,
        "learning/collab/document_history.html",
        {
            "document": document,
            "group": document.group,
            "course": document.group.course,
            "versions": versions,
            "older": older or (document.version - 1),
            "newer": newer or document.version,
            "diff": diff,
        },
    )


@page
def version_detail(request: HttpRequest, document_id: int, number: int) -> HttpResponse:
    document, _teaches = selectors.document_get_for(actor=request.user, document_id=document_id)
    version = selectors.version_get(document=document, number=number)
    if request.method == "POST":
        outcome = service_call(
            request,
            lambda: services.document_restore(
                actor=request.user,
                document=document,
                number=number,
                base_version=_int(request.POST.get("base_version")),
            ),
            success=_("Version %(n)s was restored as the newest version.") % {"n": number},
        )
        if outcome.ok:
            return redirect("learning:document-detail", document_id=document.pk)
        return redirect("learning:document-version", document_id=document.pk, number=number)
    return render(
        request,
        "learning/collab/version_detail.html",
        {
            "document": document,
            "group": document.group,
            "course": document.group.course,
            "version": version,
            "is_member": selectors.is_member(document.group, request.user),
        },
    )
