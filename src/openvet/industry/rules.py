"""The rules of 《职业学校学生实习管理规定》(教职成〔2021〕4号) checked when a student is placed.

Each rule names its article. Articles 2, 16 and 18 were read in the regulation's text; the
others are known from provincial implementing rules that copy the national text, so their
article numbers and thresholds are settings (``OPENVET_INTERNSHIP_RULES``) a school can correct
without a release (ADR 0602). The checks are pure: ``placement_breaches`` takes the facts and
answers every rule broken, so one refusal lists them all.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

REGULATION = "《职业学校学生实习管理规定》"

DEFAULTS: dict[str, Any] = {
    # R10: interns at most this share of the employer's staff, and of the same post's staff.
    "max_share_of_staff": Decimal("0.10"),
    "max_share_of_post": Decimal("0.20"),
    # R11: a post internship lasts normally six months.
    "max_months": 6,
    # R15 (Art. 18): pay at least this share of the wage of staff in the same post.
    "min_pay_share": Decimal("0.80"),
    # Article of each rule whose number was not read in the national text (see module doc).
    "articles": {
        "R9": "第十七条",
        "R10": "第十四条",
        "R11": "第十五条",
        "R13": "第十二条",
        "R16": "第二十二条",
        "R17": "第三十五条",
        "R20": "第十九条",
        # Numbers not read in the national text (ADR 0618): correct them in the settings.
        "R12": "第十一条",
        "R14": "第十三条",
        "R19": "第十条",
        "R21": "第二十三条",
        # R18 (ADR 0629): a school's public notice of its internship units quotes the 2021
        # text's chapter 2, article 7 (new units assessed on site with a written report, the
        # list decided by the school's Party committee and made public); the 2016 text had
        # the assessment as article 6. Not read in the national text itself.
        "R18": "第七条",
        # R23 (ADR 0621): number not read in the national text nor in a source quoting it;
        # the content comes from provincial 实施细则 (Yunnan checklist "八个事先").
        "R23": "第四十条",
    },
    # R18 concerns new internship units: an enterprise where the school already placed
    # students before this rule was checked is not new (set False to require it of every one).
    "r18_existing_partners_exempt": True,
    # R23: the papers an internship's archive must hold before it is filed.
    "archive_requires": ["agreement", "journals", "evaluations", "grade"],
    # Check-ins farther than this from the workplace are flagged (metres).
    "far_checkin_m": 1000,
    # Alert when an intern has not checked in for this many days.
    "silent_days": 3,
    # Check-ins accepted but farther than this from the workplace are alerts (metres).
    "far_alert_m": 500,
    # A journal may be written until this many days after its week or month ends (ADR 0617).
    "journal_grace_days": 7,
    # The check-in flags judge this many days of check-ins, not a placement's whole history
    # (ADR 0625): a script started after honest weeks is seen, and the read stays bounded.
    "evidence_window_days": 30,
}

# Rules whose article was read in the national text.
_READ_ARTICLES = {
    "R2": "第十六条第（一）项",
    "R3": "第十六条第（二）项",
    "R4": "第十六条第（三）项",
    "R5": "第十六条第（四）项",
    "R6": "第十六条第（五）项",
    "R7": "第十六条第（六）项",
    "R8": "第十六条第（七）项",
    "R15": "第十八条",
}


def rule_settings() -> dict[str, Any]:
    configured = getattr(settings, "OPENVET_INTERNSHIP_RULES", {})
    merged = {**DEFAULTS, **configured}
    merged["articles"] = {**DEFAULTS["articles"], **configured.get("articles", {})}
    return merged


def article_of(rule: str) -> str:
    return _READ_ARTICLES.get(rule) or rule_settings()["articles"][rule]


@dataclass(frozen=True)
class Breach:
    """A broken rule: its number in our list (R2…), the article, and what is wrong."""

    rule: str
    field: str
    message: str

    @property
    def citation(self) -> str:
        return f"{REGULATION}{article_of(self.rule)}"

    def text(self) -> str:
        return _("%(citation)s: %(message)s") % {
            "citation": self.citation,
            "message": self.message,
        }


@dataclass(frozen=True)
class PlacementFacts:
    """What the rules look at, gathered by the placement service."""

    is_post_internship: bool
    start: date
    end: date
    longer_allowed: bool
    year_of_study: int
    birth_date: date | None
    is_female: bool
    post_minor_forbidden: bool
    post_female_forbidden: bool
    post_intensity: int
    post_high_risk: bool
    post_night_shifts: bool
    enterprise_entertainment: bool
    enterprise_agency: bool
    enterprise_staff: int
    enterprise_interns: int  # already placed there during the period, this one excluded
    post_staff: int
    post_interns: int
    staff_wage: int
    monthly_pay: int
    fees_charged: int
    has_agreement: bool
    insurance_policy: str
    insurance_start: date | None
    insurance_end: date | None
    has_school_mentor: bool
    has_enterprise_mentor: bool
    # R12: 专业大类 (first two digits of the major code, 《职业教育专业目录（2021年）》) of the
    # student's major and of the majors of the post's job-skill standard (empty: not known).
    student_major_category: str
    post_major_categories: frozenset[str]
    has_consent: bool  # R14
    filing_reference: str  # R19
    out_of_province: bool
    out_of_province_approval: str
    safety_training_on: date | None  # R21
    has_emergency_plan: bool
    # R18: the school's on-site assessment report of the enterprise is on file and the
    # enterprise is on the school's published list (or is an earlier partner, see DEFAULTS).
    enterprise_assessed: bool = True


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def months_between(start: date, end: date) -> Decimal:
    """Whole and part months from ``start`` to ``end`` inclusive (30.44 days a month)."""
    return Decimal((end - start).days + 1) / Decimal("30.44")


def placement_breaches(facts: PlacementFacts) -> list[Breach]:
    breaches = _every_internship(facts)
    if facts.is_post_internship:
        breaches += _post_internship(facts)
    return breaches


def _every_internship(f: PlacementFacts) -> list[Breach]:
    found: list[Breach] = []
    if f.enterprise_entertainment:
        found.append(Breach("R6", "post", _("interns may not be placed in entertainment venues.")))
    if f.enterprise_agency:
        found.append(
            Breach(
                "R7",
                "post",
                _(
                    "internships may not be arranged through agencies; place the student directly "
                    "with the employer."
                ),
            )
        )
    if f.fees_charged > 0:
        found.append(
            Breach(
                "R16", "fees_charged", _("no deposit, fee or charge may be taken from an intern.")
            )
        )
    if not f.has_agreement:
        found.append(
            Breach(
                "R13",
                "agreement",
                _("a signed three-party agreement is needed before the internship starts."),
            )
        )
    if not f.enterprise_assessed:
        found.append(
            Breach(
                "R18",
                "post",
                _(
                    "a new internship unit needs the school's on-site assessment with a written "
                    "report, and must be on the school's published list of internship units."
                ),
            )
        )
    found += _insurance(f)
    found += _preparation(f)
    if not (f.has_school_mentor and f.has_enterprise_mentor):
        found.append(
            Breach(
                "R20",
                "school_mentor",
                _("every intern needs a school mentor and an enterprise mentor."),
            )
        )
    return found


def _insurance(f: PlacementFacts) -> list[Breach]:
    if not f.insurance_policy.strip() or f.insurance_start is None or f.insurance_end is None:
        return [Breach("R17", "insurance_policy", _("internship liability insurance is needed."))]
    if f.insurance_start > f.start or f.insurance_end < f.end:
        return [
            Breach(
                "R17",
                "insurance_end",
                _("the liability insurance must cover the whole internship period."),
            )
        ]
    return []


def _post_internship(f: PlacementFacts) -> list[Breach]:
    rules = rule_settings()
    found: list[Breach] = []
    if f.year_of_study <= 1:
        found.append(
            Breach("R2", "student", _("first-year students may not take a post internship."))
        )
    age = age_on(f.birth_date, f.start) if f.birth_date else None
    if age is not None and age < 16:
        found.append(
            Breach("R3", "student", _("students under 16 may not take a post internship."))
        )
    if age is not None and age < 18 and f.post_minor_forbidden:
        found.append(Breach("R4", "post", _("this post is work forbidden to minors.")))
    if f.is_female and f.post_female_forbidden:
        found.append(Breach("R5", "post", _("this post is work forbidden to women.")))
    if f.post_intensity >= 3:
        found.append(
            Breach("R8", "post", _("interns may not do physical labour of grade III or above."))
        )
    if f.post_high_risk or f.post_night_shifts:
        found.append(
            Breach("R9", "post", _("interns may not do high-risk work, overtime or night shifts."))
        )
    found += _shares(f, rules)
    found += _post_documents(f)
    if not f.longer_allowed and months_between(f.start, f.end) > rules["max_months"] + Decimal(
        "0.5"
    ):
        found.append(
            Breach(
                "R11",
                "end_date",
                _("a post internship lasts normally no longer than %(months)s months.")
                % {"months": rules["max_months"]},
            )
        )
    if f.monthly_pay < f.staff_wage * rules["min_pay_share"]:
        found.append(
            Breach(
                "R15",
                "monthly_pay",
                _(
                    "the pay must be at least %(percent)s%% of the wage of staff in the same post "
                    "(%(minimum)s yuan a month)."
                )
                % {
                    "percent": int(rules["min_pay_share"] * 100),
                    "minimum": int(f.staff_wage * rules["min_pay_share"]),
                },
            )
        )
    return found


def _shares(f: PlacementFacts, rules: dict[str, Any]) -> list[Breach]:
    found: list[Breach] = []
    if f.enterprise_interns + 1 > f.enterprise_staff * rules["max_share_of_staff"]:
        found.append(
            Breach(
                "R10",
                "post",
                _("interns may be at most %(percent)s%% of the employer's staff.")
                % {"percent": int(rules["max_share_of_staff"] * 100)},
            )
        )
    if f.post_interns + 1 > f.post_staff * rules["max_share_of_post"]:
        found.append(
            Breach(
                "R10",
                "post",
                _("interns may be at most %(percent)s%% of the staff in the same post.")
                % {"percent": int(rules["max_share_of_post"] * 100)},
            )
        )
    return found


def _preparation(f: PlacementFacts) -> list[Breach]:
    """R21: the safety training held before the internship starts, the emergency plan made."""
    found: list[Breach] = []
    if f.safety_training_on is None or f.safety_training_on > f.start:
        found.append(
            Breach(
                "R21",
                "safety_training_on",
                _("the interns' safety training must be held before the internship starts."),
            )
        )
    if not f.has_emergency_plan:
        found.append(
            Breach(
                "R21",
                "emergency_plan",
                _("an emergency plan for incidents must be made before the internship."),
            )
        )
    return found


def _post_documents(f: PlacementFacts) -> list[Breach]:
    """R12 (matching major), R14 (informed consent), R19 (filing; outside the province, the
    authority's approval) — the documents a post internship needs before it starts."""
    found: list[Breach] = []
    if (
        f.student_major_category
        and f.post_major_categories
        and f.student_major_category not in f.post_major_categories
    ):
        found.append(
            Breach(
                "R12",
                "post",
                _(
                    "the post must match or be close to the student's major, not in another "
                    "category of majors."
                ),
            )
        )
    if not f.has_consent:
        found.append(
            Breach(
                "R14",
                "consent",
                _("the informed consent signed by the student and their guardian is needed."),
            )
        )
    if not f.filing_reference.strip():
        found.append(
            Breach(
                "R19",
                "post",
                _("the plan of post internships must be filed with the education authority first."),
            )
        )
    if f.out_of_province and not f.out_of_province_approval.strip():
        found.append(
            Breach(
                "R19",
                "post",
                _(
                    "an internship outside the province needs the education authority's approval, "
                    "recorded on the plan."
                ),
            )
        )
    return found


# --- R23: archiving at the end of an internship (ADR 0621) ------------------------------------


@dataclass(frozen=True)
class ArchiveFacts:
    """What an internship's archive holds when the school files it."""

    ended: bool
    has_agreement: bool
    journals: int
    evaluation_sides: frozenset[str]
    grade: str


def archive_breaches(facts: ArchiveFacts) -> list[Breach]:
    """R23 (实习材料及时立卷归档): the agreement, the journals, both mentors' assessments and
    the final grade are filed together; an internship still under way is not archived."""
    required = set(rule_settings()["archive_requires"])
    found: list[Breach] = []
    if not facts.ended:
        found.append(
            Breach("R23", "", _("the internship is still under way; archive it once it ends."))
        )
    if "agreement" in required and not facts.has_agreement:
        found.append(Breach("R23", "", _("the three-party agreement is missing from the file.")))
    if "journals" in required and facts.journals < 1:
        found.append(Breach("R23", "", _("the intern's journals are missing from the file.")))
    if "evaluations" in required and len(facts.evaluation_sides) < 2:
        found.append(
            Breach(
                "R23", "", _("the assessments of both the school and the enterprise are needed.")
            )
        )
    if "grade" in required and not facts.grade:
        found.append(Breach("R23", "", _("the final grade of the internship is missing.")))
    return found
