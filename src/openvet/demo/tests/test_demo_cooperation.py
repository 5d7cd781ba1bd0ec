"""`openvet demo` seeds the first enterprise's contacts, documents and rating, and in the
resource libraries a co-construction project, a learning path, a fork and an invoice."""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from openvet.demo.seed import demo_seed
from openvet.demo.seed_industry import seed_industry
from openvet.demo.seed_industry_library import CONTACTS, seed_industry_library
from openvet.demo.seed_resources import seed_resources
from openvet.demo.seed_teaching import seed_teaching
from openvet.identity.models import User
from openvet.industry.models_library import EnterpriseContact, EnterpriseDocument, EnterpriseRating
from openvet.resources.models import (
    ContributionStatus,
    Invoice,
    InvoiceStatus,
    LearningPath,
    Project,
    Resource,
)

A_SCHOOL_DAY = datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.mark.django_db
def test_enterprise_library_and_co_construction_are_seeded_once(
    settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    settings.REQUIRE_ADMIN_TOTP = False
    with time_machine.travel(A_SCHOOL_DAY, tick=True):
        demo_seed(scale=0.05)
        seed_teaching()
        seed_industry()
        assert seed_industry_library()
        seed_resources()

        contact = EnterpriseContact.objects.order_by("pk").first()
        assert contact is not None
        assert EnterpriseDocument.objects.filter(enterprise=contact.enterprise).count() == 2
        assert EnterpriseRating.objects.get().safety == 4
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        client.force_login(
            User.objects.get(username="admin1"),
            backend="openvet.identity.backends.IdentifierBackend",
        )
        page = client.get(f"/industry/enterprises/{contact.enterprise_id}/").content.decode()
        assert CONTACTS[0][0] in page
        assert CONTACTS[0][2] not in page  # the phone is masked until revealed

        project = Project.objects.get()
        assert project.members.count() == 3  # the lead, the second college and an enterprise
        assert project.packages.count() == 2
        safety = project.packages.get(owner__username="teacher2")
        assert [c.status for c in safety.items.all()] == [ContributionStatus.ACCEPTED]
        assert LearningPath.objects.get().steps.count() == 2
        assert Resource.objects.filter(forked_from__isnull=False).count() == 1
        assert Invoice.objects.get().status == InvoiceStatus.ISSUED

        assert not seed_industry_library()
        seed_resources()
        assert Project.objects.count() == 1
        assert EnterpriseContact.objects.count() == len(CONTACTS)
