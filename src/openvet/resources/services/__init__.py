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
    usage_record,
)
from openvet.resources.services.trading import (
    OfferIn,
    offer_create,
    order_cancel,
    order_confirm_payment,
    order_place,
    order_refund,
)

__all__ = [
    "ContributorIn",
    "OfferIn",
    "certification_submit",
    "nomination_create",
    "nomination_decide",
    "offer_create",
    "order_cancel",
    "order_confirm_payment",
    "order_place",
    "order_refund",
    "resource_add_version",
    "resource_count_use",
    "resource_create",
    "resource_publish",
    "review_submit",
    "rubric",
    "upload_append",
    "upload_create",
    "upload_finish",
    "usage_record",
]
