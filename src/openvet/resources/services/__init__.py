"""Every write of the resource libraries."""

from openvet.resources.services.certification import (
    certification_submit,
    review_submit,
    rubric,
)
from openvet.resources.services.files import upload_append, upload_create, upload_finish
from openvet.resources.services.nominations import nomination_create, nomination_decide
from openvet.resources.services.resources import (
    ContributorIn,
    resource_add_version,
    resource_count_use,
    resource_create,
    resource_publish,
)

__all__ = [
    "ContributorIn",
    "certification_submit",
    "nomination_create",
    "nomination_decide",
    "resource_add_version",
    "resource_count_use",
    "resource_create",
    "resource_publish",
    "review_submit",
    "rubric",
    "upload_append",
    "upload_create",
    "upload_finish",
]
