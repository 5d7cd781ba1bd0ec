from django.urls import path

from openvet.resources.views import (
    certification,
    files,
    harvest,
    library,
    packages,
    trading,
    uploads,
)

app_name = "resources"

urlpatterns = [
    path("", library.library, name="library"),
    path("mine/", library.mine, name="mine"),
    path("new/", library.resource_create, name="create"),
    path("import/", packages.package_import_page, name="import"),
    path("<int:resource_id>/", library.resource_detail, name="detail"),
    path("<int:resource_id>/publish", library.resource_publish, name="publish"),
    path("<int:resource_id>/versions", library.resource_add_version, name="add-version"),
    path("<int:resource_id>/files/<int:file_id>", files.resource_file, name="file"),
    path("<int:resource_id>/certify", certification.certification_submit, name="certify"),
    path("<int:resource_id>/nominate", certification.nomination_create, name="nominate"),
    path("<int:resource_id>/offers", trading.offer_create, name="offer-create"),
    path("<int:resource_id>/usage/", trading.usage, name="usage"),
    path("offers/<int:offer_id>/order", trading.order_place, name="order-place"),
    path("orders/", trading.order_list, name="order-list"),
    path("orders/<int:order_id>/", trading.order_detail, name="order"),
    path("orders/<int:order_id>/confirm", trading.order_confirm, name="order-confirm"),
    path("orders/<int:order_id>/cancel", trading.order_cancel, name="order-cancel"),
    path("orders/<int:order_id>/refund", trading.order_refund, name="order-refund"),
    path("payments/", trading.payment_list, name="payment-list"),
    path("settlements/", trading.settlement, name="settlement"),
    path("harvest/", harvest.harvest_list, name="harvest-list"),
    path("harvest/<int:source_id>/run", harvest.harvest_now, name="harvest-run"),
    path("uploads/", uploads.upload_collection, name="upload-create"),
    path("uploads/<str:key>", uploads.upload_chunk, name="upload-chunk"),
    path("reviews/", certification.review_list, name="review-list"),
    path("reviews/<int:certification_id>/", certification.review, name="review"),
    path("nominations/", certification.nomination_list, name="nomination-list"),
    path(
        "nominations/<int:nomination_id>/decide",
        certification.nomination_decide,
        name="nomination-decide",
    ),
    path("certificates/<str:certificate_id>/", certification.certificate, name="certificate"),
]
