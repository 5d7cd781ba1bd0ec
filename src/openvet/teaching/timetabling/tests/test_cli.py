from __future__ import annotations

from pathlib import Path

import pytest

from openvet.teaching.timetabling.cli import build_parser, main
from openvet.teaching.timetabling.tests.util import SOLUTION, TINY


@pytest.fixture
def instance(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.ctt"
    path.write_text(TINY)
    return path


def test_score_ctt_prints_report(
    instance: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    solution = tmp_path / "tiny.sol"
    solution.write_text(SOLUTION)
    assert main(["score-ctt", str(instance), str(solution)]) == 0
    out = capsys.readouterr().out
    assert "Hard violations: 0" in out
    assert "Soft penalty: 21" in out
    assert "RoomCapacity" in out


def test_solve_ctt_writes_solution(
    instance: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "out.sol"
    argv = ["solve-ctt", str(instance), "--time-limit", "30", "--seed", "2",
            "--max-iterations", "50000", "--output", str(output)]  # fmt: skip
    assert main(argv) == 0
    captured = capsys.readouterr()
    assert "Hard violations: 0" in captured.out
    assert "Soft penalty: 2" in captured.out
    assert len(output.read_text().splitlines()) == 5
    assert main(["score-ctt", str(instance), str(output)]) == 0
    assert "Soft penalty: 2\n" in capsys.readouterr().out


def test_bad_instance_exit_2_with_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.ctt"
    bad.write_text(TINY.replace("c2 t2 2 1 10", "c2 t2 2 1 ten"))
    assert main(["score-ctt", str(bad), str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}:11:" in err
    assert "Traceback" not in err


def test_solution_for_other_instance_exit_2(
    instance: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    solution = tmp_path / "other.sol"
    solution.write_text(SOLUTION.replace("rB", "B"))
    assert main(["score-ctt", str(instance), str(solution)]) == 2
    assert f"{solution}:1: unknown room B" in capsys.readouterr().err
    assert main(["score-ctt", str(instance), str(solution), "--lenient"]) == 0
    assert "Lectures             2" in capsys.readouterr().out


def test_missing_file_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["solve-ctt", str(tmp_path / "none.ctt"), "--time-limit", "1",
                 "--output", str(tmp_path / "x.sol")])  # fmt: skip
    assert code == 2
    assert "cannot read file" in capsys.readouterr().err


def test_build_parser_reusable() -> None:
    args = build_parser().parse_args(["score-ctt", "a.ctt", "b.sol"])
    assert (args.command, args.instance, args.solution) == ("score-ctt", "a.ctt", "b.sol")
