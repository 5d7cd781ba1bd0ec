"""The platform's xAPI vocabulary: the verbs and activity types of its learning events.

ADL verbs (http://adlnet.gov/expapi/verbs/, the ADL vocabulary of xAPI 1.0.3 and its
registry at w3id.org/xapi/adl) wherever one says what happened, then the public xAPI
registry's (id.tincanapi.com, which most xAPI content uses for "viewed" and "downloaded");
the platform's own IRIs, under ``PLATFORM_IRI``, only where neither has one.
Display names in zh-CN and en-US.
"""

from dataclasses import dataclass

from django.conf import settings

PLATFORM_IRI = "https://openvet.invalid/xapi"


def platform_iri() -> str:
    """The base of the platform's own IRIs (setting ``OPENVET_XAPI_IRI`` when deployed)."""
    return str(getattr(settings, "OPENVET_XAPI_IRI", PLATFORM_IRI)).rstrip("/")


@dataclass(frozen=True)
class Verb:
    iri: str
    zh: str
    en: str

    def as_xapi(self) -> dict[str, object]:
        return {"id": self.iri, "display": {"zh-CN": self.zh, "en-US": self.en}}


@dataclass(frozen=True)
class ActivityType:
    iri: str
    zh: str
    en: str


VERBS: dict[str, Verb] = {
    "selected": Verb("http://adlnet.gov/expapi/verbs/registered", "选课", "registered"),
    "dropped": Verb(f"{PLATFORM_IRI}/verbs/dropped", "退课", "dropped"),
    "attended": Verb("http://adlnet.gov/expapi/verbs/attended", "签到", "attended"),
    "scored": Verb("http://adlnet.gov/expapi/verbs/scored", "获得成绩", "scored"),
    "signed_in": Verb("https://w3id.org/xapi/adl/verbs/logged-in", "登录", "logged in"),
    "reported": Verb(f"{PLATFORM_IRI}/verbs/reported", "提交周志", "reported"),
    "viewed": Verb("http://id.tincanapi.com/verb/viewed", "浏览", "viewed"),
    "downloaded": Verb("http://id.tincanapi.com/verb/downloaded", "下载", "downloaded"),
    "attempted": Verb("http://adlnet.gov/expapi/verbs/attempted", "开始学习", "attempted"),
    "completed": Verb("http://adlnet.gov/expapi/verbs/completed", "完成", "completed"),
    "answered": Verb("http://adlnet.gov/expapi/verbs/answered", "作答", "answered"),
    "passed": Verb("http://adlnet.gov/expapi/verbs/passed", "通过", "passed"),
    "failed": Verb("http://adlnet.gov/expapi/verbs/failed", "未通过", "failed"),
    "suspended": Verb("http://adlnet.gov/expapi/verbs/suspended", "暂停学习", "suspended"),
    "terminated": Verb("http://adlnet.gov/expapi/verbs/terminated", "结束学习", "terminated"),
    # The live in-class mode (learning ADR 0710).
    "joined": Verb("http://activitystrea.ms/schema/1.0/join", "加入课堂", "joined"),
    "commented": Verb("http://adlnet.gov/expapi/verbs/commented", "发送弹幕", "commented"),
    "raised_hand": Verb(f"{PLATFORM_IRI}/verbs/raised-hand", "举手", "raised hand"),
    "called_on": Verb(f"{PLATFORM_IRI}/verbs/called-on", "被随机点名", "called on"),
    # Assignments (learning ADR 0720).
    "submitted": Verb("http://activitystrea.ms/schema/1.0/submit", "提交作业", "submitted"),
    "reviewed": Verb("http://id.tincanapi.com/verb/reviewed", "互评", "reviewed"),
    # Group documents (learning ADR 0757): Activity Streams 1.0 "update".
    "updated": Verb("http://activitystrea.ms/schema/1.0/update", "编辑文档", "updated"),
}

ACTIVITY_TYPES: dict[str, ActivityType] = {
    "teaching.offering": ActivityType(
        "http://adlnet.gov/expapi/activities/course", "开课", "course offering"
    ),
    "teaching.attendancesession": ActivityType(
        "http://adlnet.gov/expapi/activities/meeting", "上课考勤", "class session"
    ),
    "teaching.grade": ActivityType(
        "http://adlnet.gov/expapi/activities/assessment", "成绩", "assessment"
    ),
    "industry.placement": ActivityType(
        f"{PLATFORM_IRI}/activities/internship", "岗位实习", "internship placement"
    ),
    "industry.journal": ActivityType(
        f"{PLATFORM_IRI}/activities/internship-journal", "实习周志", "internship journal"
    ),
    "industry.evaluation": ActivityType(
        "http://adlnet.gov/expapi/activities/assessment", "实习考核", "internship assessment"
    ),
    "resources.resource": ActivityType(
        "http://adlnet.gov/expapi/activities/media", "教学资源", "teaching resource"
    ),
    "learning.course": ActivityType(
        "http://adlnet.gov/expapi/activities/course", "在线课程", "online course"
    ),
    "learning.unit": ActivityType(
        "http://adlnet.gov/expapi/activities/lesson", "学习单元", "learning unit"
    ),
    "learning.video": ActivityType(
        "https://w3id.org/xapi/video/activity-type/video", "视频单元", "video unit"
    ),
    "learning.quiz": ActivityType("http://adlnet.gov/expapi/activities/assessment", "测验", "quiz"),
    "learning.sco": ActivityType(
        "http://adlnet.gov/expapi/activities/module", "SCORM 课件", "SCORM content object"
    ),
    "learning.question": ActivityType(
        "http://adlnet.gov/expapi/activities/cmi.interaction", "试题", "question"
    ),
    "learning.live": ActivityType(
        "http://adlnet.gov/expapi/activities/meeting", "课堂互动", "live class"
    ),
    "learning.live_question": ActivityType(
        "http://adlnet.gov/expapi/activities/cmi.interaction", "课堂提问", "in-class question"
    ),
    "learning.assignment": ActivityType(
        "http://adlnet.gov/expapi/activities/assessment", "作业", "assignment"
    ),
    "learning.group_document": ActivityType(
        "http://id.tincanapi.com/activitytype/document", "小组文档", "group document"
    ),
    "learning.checkpoint": ActivityType(
        "http://adlnet.gov/expapi/activities/cmi.interaction", "视频检查点", "video checkpoint"
    ),
}


def verb_of(code: str) -> Verb:
    """The verb of a platform event code; an unknown code is a programming error."""
    return VERBS[code]


def activity_iri(object_type: str, object_id: str) -> str:
    return f"{platform_iri()}/activities/{object_type}/{object_id}"
