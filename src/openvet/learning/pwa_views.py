"""The learning pages as an installable web app (ADR 0754): the web app manifest, the service
worker and its offline page.

The three answers hold no personal data and are served without a session. The worker's scope
is ``/learning/``: it never stores a page (HTML) it fetched, only the offline page and the
static files of the shell, so one user's pages are never shown to another on a shared phone.
"""

import json

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

# Bump when the list of files cached at install changes shape; old caches are dropped.
CACHE_VERSION = "openvet-learning-v1"


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    space = reverse("learning:space")
    data = {
        "name": _("OpenVET learning space"),
        "short_name": _("Learning"),
        "description": _("Courses, quizzes and notes of the OpenVET digital campus."),
        "lang": "zh-Hans",
        "start_url": space,
        "scope": space,
        "id": space,
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0d6efd",
        "icons": [
            {
                "src": static(f"learning/icons/icon-{size}.png"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": "any maskable",
            }
            for size in (192, 512)
        ],
    }
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False), content_type="application/manifest+json"
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    shell = [
        reverse("learning:offline"),
        static("vendor/bootstrap/css/bootstrap.min.css"),
        static("vendor/bootstrap-icons/bootstrap-icons.min.css"),
        static("core/shell.css"),
        static("core/favicon.svg"),
        static("learning/icons/icon-192.png"),
    ]
    response = render(
        request,
        "learning/pwa/sw.js",
        {
            "cache_name": CACHE_VERSION,
            "shell": json.dumps(shell),
            "offline": json.dumps(reverse("learning:offline")),
            "static_prefix": json.dumps(static("")),
            "scope": json.dumps(reverse("learning:space")),
        },
        content_type="text/javascript; charset=utf-8",
    )
    # Browsers check for a new worker at least daily; never keep it longer than that.
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    response = render(request, "learning/pwa/offline.html")
    response["Cache-Control"] = "no-cache"
    return response
