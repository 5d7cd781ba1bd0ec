"""The demo's internships: a third-year class placed at the first partner enterprise, with
check-ins and journals, one intern's faked evidence flagged, and the class's destinations."""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from openvet.demo.seed import demo_seed
from openvet.demo.seed_industry import seed_industry
from openvet.industry import selectors
from openvet.industry.models import EnterpriseProfile, GraduateDestination, Placement

A_SCHOOL_DAY = datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.mark.django_db
def test_demo_seeds_internships_once(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    with time_machine.travel(A_SCHOOL_DAY, tick=False):
        demo_seed(scale=0.05)
        counts = seed_industry()
        assert counts is not None
        assert counts.placements >= 2
        assert counts.checkins > 0
        assert counts.journals > 0
        assert EnterpriseProfile.objects.count() == 10
        placements = list(Placement.objects.all())
        flagged = [w for w in selectors.work_list(placements) if w.flags]
        assert len(flagged) == 1
        assert {"fixed_place", "periodic", "repeated_journal"} <= flagged[0].flags
        assert GraduateDestination.objects.exists()
        again = seed_industry()
    assert again is not None
    assert again.placements == 0
    assert Placement.objects.count() == len(placements)


@pytest.mark.django_db
def test_demo_has_last_years_graduates_with_destinations_and_a_survey(
    settings: Any, tmp_path: Any
) -> None:
    from openvet.industry.codes import NOT_PLACED
    from openvet.industry.models_surveys import RespondentSide, SurveyResponse, SurveyRound
    from openvet.records.codes import StudentStatus
    from openvet.records.models import Student

    settings.MEDIA_ROOT = str(tmp_path)
    with time_machine.travel(A_SCHOOL_DAY, tick=False):
        demo_seed(scale=0.05)
        seed_industry()
        graduates = Student.objects.filter(status=StudentStatus.GRADUATED)
        cohort = GraduateDestination.objects.filter(graduation_year=2026)
        assert cohort.count() == graduates.count() >= 12
        placed = cohort.exclude(destination__in=list(NOT_PLACED)).count()
        assert 0.88 <= placed / cohort.count() <= 0.96
        assert cohort.values("destination").distinct().count() >= 6
        assert cohort.exclude(region_code="").values("region_code").distinct().count() >= 5
        assert cohort.exclude(salary_band="").values("salary_band").distinct().count() == 4
        survey = SurveyRound.objects.get(graduation_year=2026)
        answers = SurveyResponse.objects.filter(round=survey)
        assert answers.filter(side=RespondentSide.GRADUATE).exists()
        assert answers.filter(side=RespondentSide.EMPLOYER).exists()
        seed_industry()
        assert SurveyRound.objects.count() == 1
        assert cohort.count() == graduates.count()
