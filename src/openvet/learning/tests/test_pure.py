import io
from decimal import Decimal

from openvet.learning import grading, media, watching
from openvet.learning.tests.conftest import PDF, mp4_bytes
from openvet.resources.samples import LESSON_VIDEO


def test_intervals_merge_where_they_touch_and_count_once() -> None:
    intervals: list[tuple[float, float]] = []
    for segment in [(0, 10), (20, 30), (10, 15), (25, 40), (5, 8)]:
        intervals = watching.merge(intervals, segment)
    assert intervals == [(0, 15), (20, 40)]
    assert watching.covered(intervals, 30) == 25
    assert watching.watched_percent(intervals, 40) == 87


def test_a_continuous_play_stays_one_interval_after_the_stored_end_is_rounded() -> None:
    # A player's beat ended at 10.003 s, stored as 10.0; the next stretch starts at 10.003.
    assert watching.merge([(0, 10.0)], (10.003, 12)) == [(0, 12)]
    # A real gap (a seek ahead) is kept.
    assert watching.merge([(0, 10.0)], (10.5, 12)) == [(0, 10.0), (10.5, 12)]


def test_a_play_from_the_first_frame_to_the_last_counts_the_whole_video() -> None:
    # The player read its first position once playback had begun, and its last a hair early.
    segment = watching.snap_to_edges((0.01, 11.95), duration=12)
    assert segment == (0, 12)
    assert watching.watched_percent([segment], 12) == 100
    # A stretch that starts or ends a real moment inside the video keeps its ends.
    assert watching.snap_to_edges((0.5, 11.5), duration=12) == (0.5, 11.5)
    assert watching.snap_to_edges((3, 4), duration=12) == (3, 4)


def test_heartbeats_faster_than_real_time_longer_than_a_beat_or_outside_are_refused() -> None:
    def judge(start: float, end: float, elapsed: float | None) -> str:
        return watching.judge(start=start, end=end, duration=60, elapsed=elapsed).reason

    assert judge(0, 10, 10) == ""
    assert judge(0, 11.5, 10) == ""  # within the slack
    assert judge(0, 20, 10) == "too_fast"
    assert judge(0, 40, 60) == "too_long"
    assert judge(50, 70, 20) == "out_of_range"
    assert judge(10, 5, 20) == "backwards"
    assert judge(0, 5, None) == "no_start"


def test_partial_credit_for_multiple_choice() -> None:
    def score(response: list[int]) -> Decimal | None:
        return grading.auto_score(kind="multiple", answer=[0, 2], response=response, points=4)

    assert score([0, 2]) == 4
    assert score([0]) == 2
    assert score([0, 1]) == 0
    assert score([1, 3]) == 0
    assert score([0, 1, 2]) == 2
    assert grading.auto_score(kind="fill", answer=["Z 轴"], response=[" z  轴 "], points=2) == 2
    assert grading.auto_score(kind="true_false", answer=[False], response=[True], points=1) == 0
    assert grading.auto_score(kind="short", answer=[], response=["x"], points=5) is None


def test_the_length_of_an_mp4_is_read_from_its_header() -> None:
    data = mp4_bytes(95)
    assert media.mp4_duration_seconds(io.BytesIO(data)) == 95
    assert media.mp4_duration_seconds(io.BytesIO(PDF)) is None
    assert media.mp4_duration_seconds(io.BytesIO(data[:40])) is None
    assert media.mp4_duration_seconds(io.BytesIO(LESSON_VIDEO.read_bytes())) == 12
