"""The learning space as an installable web app (ADR 0754)."""

import json

from django.test import Client
from django.urls import reverse

from openvet.learning.tests.conftest import World
from openvet.learning.tests.test_views import client_for


def test_manifest_makes_the_learning_space_installable(db: None) -> None:
    response = Client().get(reverse("learning:pwa-manifest"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    data = json.loads(response.content)
    assert data["start_url"] == data["scope"] == reverse("learning:space")
    assert data["display"] == "standalone"
    assert {icon["sizes"] for icon in data["icons"]} == {"192x192", "512x512"}
    assert data["name"] == "OpenVET 网络学习空间"


def test_worker_caches_the_shell_and_the_offline_page_but_never_pages(db: None) -> None:
    response = Client().get(reverse("learning:pwa-worker"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    script = response.content.decode()
    offline = reverse("learning:offline")
    assert f'const OFFLINE = "{offline}";' in script
    assert f'const SCOPE = "{reverse("learning:space")}";' in script
    assert "core/shell.css" in script
    # Navigations are answered from the network, falling back to the offline page only.
    navigate = script[
        script.index('request.mode === "navigate"') : script.index("STATIC_PREFIX) &&")
    ]
    assert "cache.put" not in navigate
    assert "caches.match(OFFLINE)" in navigate


def test_offline_page_is_public_chinese_and_personal_data_free(world: World) -> None:
    page = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").get(reverse("learning:offline"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "网络" in body
    assert world.student_user.full_name not in body
    signed_in = client_for(world.student_user).get(reverse("learning:offline")).content.decode()
    assert world.student_user.full_name not in signed_in
    assert "csrfmiddlewaretoken" not in signed_in


def test_student_pages_link_the_manifest(world: World) -> None:
    body = client_for(world.student_user).get(reverse("learning:space")).content.decode()
    assert f'rel="manifest" href="{reverse("learning:pwa-manifest")}"' in body
    assert f'data-worker="{reverse("learning:pwa-worker")}"' in body
