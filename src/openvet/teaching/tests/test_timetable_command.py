import subprocess
import sys
from pathlib import Path

from openvet.teaching.timetabling.tests.util import TINY as TINY_INSTANCE


def _openvet(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "openvet", "timetable", *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_solve_and_score_through_the_openvet_command(tmp_path: Path) -> None:
    instance = tmp_path / "tiny.ctt"
    instance.write_text(TINY_INSTANCE, encoding="utf-8")
    solution = tmp_path / "tiny.sol"

    solved = _openvet(
        "solve-ctt", str(instance), "--time-limit", "2", "--seed", "1", "--output", str(solution)
    )
    scored = _openvet("score-ctt", str(instance), str(solution))

    assert solved.returncode == 0, solved.stderr
    assert scored.returncode == 0, scored.stderr
    assert solution.read_text(encoding="utf-8").strip()


def test_malformed_instance_exits_2_without_traceback(tmp_path: Path) -> None:
    instance = tmp_path / "broken.ctt"
    instance.write_text("Name: broken\nCourses: x\n", encoding="utf-8")

    result = _openvet("score-ctt", str(instance), str(tmp_path / "none.sol"))

    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "broken.ctt" in result.stderr
