"""``tinnhiem tally`` as a user runs it: a separate process, files and stdin.

Every run goes through ``python -m tinnhiem.cli.main`` in a subprocess, so
exit statuses, standard error and the absence of tracebacks are observed
exactly as a shell would see them.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.record.test_parse import MALFORMED, Malformed

ROOT = Path(__file__).resolve().parents[2]

SPEC = ROOT / "docs" / "conference-record.md"


def _json_blocks(markdown: str) -> list[Any]:
    return [json.loads(block) for block in re.findall(r"```json\n(.*?)```", markdown, re.DOTALL)]


# The input and output examples of docs/conference-record.md (invented person).
DOCUMENTED_EXAMPLE, DOCUMENTED_RESULT = _json_blocks(SPEC.read_text(encoding="utf-8"))[:2]


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return self.err.splitlines()


def tinnhiem_tally(*args: str, stdin: bytes | None = None) -> Run:
    env = {**os.environ, "PYTHONUTF8": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "tinnhiem.cli.main", "tally", *args],
        cwd=ROOT,
        input=stdin if stdin is not None else b"",
        capture_output=True,
        env=env,
        timeout=60,
        check=False,
    )
    return Run(proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8"))


def write_record(directory: Path, data: Any, name: str = "record.json") -> Path:
    path = directory / name
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


@pytest.fixture
def example_file(tmp_path: Path) -> Path:
    return write_record(tmp_path, DOCUMENTED_EXAMPLE, "hoi-nghi.json")


def assert_one_line_refusal(run: Run, *fragments: str, lang: str = "vi") -> str:
    """Exit 2, nothing on stdout, one line on stderr holding every fragment."""
    prefix = "tinnhiem tally: lỗi: " if lang == "vi" else "tinnhiem tally: error: "
    assert run.code == 2, run.err
    assert run.out == ""
    assert "Traceback" not in run.err
    assert len(run.err_lines) == 1, run.err
    assert run.err.endswith("\n")
    line = run.err_lines[0]
    assert line.startswith(prefix)
    for fragment in fragments:
        assert fragment in line
    return line


# ----------------------------------------------------------------- results


def test_the_documented_example_gives_the_documented_figures(example_file: Path) -> None:
    run = tinnhiem_tally(str(example_file), "--json")
    assert run.code == 0, run.err
    assert run.err == ""
    result = json.loads(run.out)
    assert result["format"] == "tinnhiem.tally-result/1"
    assert result["quorum"] == {"summoned": 17, "present": 17, "required": 12, "met": True}
    assert result["ballots"] == {"issued": 17, "collected": 5, "whole_invalid": 2}
    assert result["base"] == {"basis": "collected", "value": 5}
    (person,) = result["candidates"]
    assert person["name"] == "Đặng Quốc Bảo"
    assert person["valid"] == 2
    assert person["invalid"] == 3
    assert person["counts"] == {"cao": 1, "tin_nhiem": 1, "thap": 0}
    assert person["percent"] == {"cao": "20.00", "tin_nhiem": "20.00", "thap": "0.00"}
    assert person["band"] == "none"
    assert [w["code"] for w in result["warnings"]] == ["unissued_ballots"]


def test_the_documented_result_is_exactly_what_the_documented_example_prints(
    example_file: Path,
) -> None:
    assert DOCUMENTED_EXAMPLE["format"] == "tinnhiem.conference-record/1"
    run = tinnhiem_tally(str(example_file), "--json")
    assert run.code == 0, run.err
    assert json.loads(run.out) == DOCUMENTED_RESULT
    assert run.out == json.dumps(DOCUMENTED_RESULT, ensure_ascii=False, indent=2) + "\n"


def test_the_default_output_is_the_phu_luc_4_report_in_vietnamese(example_file: Path) -> None:
    run = tinnhiem_tally(str(example_file))
    assert run.code == 0, run.err
    assert run.out.startswith("BÁO CÁO KẾT QUẢ PHIẾU TÍN NHIỆM\n")
    assert "Số phiếu thu về: 5 phiếu (trong đó 2 phiếu không hợp lệ toàn bộ)." in run.out
    assert "Tỷ lệ % tính trên tổng số phiếu thu về (5)" in run.out
    assert "Đặng Quốc Bảo" in run.out
    assert "20,00" in run.out
    assert "20.00" not in run.out
    assert "ngày 14 tháng 5 năm 2024" in run.out


def test_lang_en_prints_the_report_in_english_with_decimal_points(example_file: Path) -> None:
    run = tinnhiem_tally(str(example_file), "--lang", "en")
    assert run.code == 0, run.err
    assert run.out.startswith("CONFIDENCE POLL RESULT REPORT\n")
    assert "Ballots collected: 5 (of which 2 void as a whole)." in run.out
    assert "20.00" in run.out
    assert "20,00" not in run.out
    assert "BÁO CÁO" not in run.out


def test_lang_en_gives_english_messages_in_json(example_file: Path) -> None:
    run = tinnhiem_tally(str(example_file), "--json", "--lang", "en")
    assert run.code == 0, run.err
    result = json.loads(run.out)
    assert result["candidates"][0]["consequence"] == "No mandatory consequence."
    assert result["warnings"][0]["message"].endswith("not issued by the counting committee (void)")


def test_a_binding_vote_prints_the_binding_report() -> None:
    data = {
        **DOCUMENTED_EXAMPLE,
        "kind": "binding",
        "ballots": [
            {"marks": {"1": ["khong_tin_nhiem"]}},
            {"marks": {"1": ["khong_tin_nhiem"]}},
            {"marks": {"1": ["tin_nhiem"]}},
        ],
    }
    run = tinnhiem_tally("-", "--json", stdin=json.dumps(data).encode())
    assert run.code == 0, run.err
    person = json.loads(run.out)["candidates"][0]
    assert person["counts"] == {"tin_nhiem": 1, "khong_tin_nhiem": 2}
    assert person["percent"] == {"tin_nhiem": "33.33", "khong_tin_nhiem": "66.67"}
    assert person["band"] == "over_half_no_confidence"
    table = tinnhiem_tally("-", stdin=json.dumps(data).encode())
    assert table.out.startswith("BÁO CÁO KẾT QUẢ BỎ PHIẾU TÍN NHIỆM\n")


def test_a_dash_reads_the_record_from_standard_input(example_file: Path) -> None:
    from_file = tinnhiem_tally(str(example_file), "--json")
    from_stdin = tinnhiem_tally("-", "--json", stdin=example_file.read_bytes())
    assert from_stdin.code == 0, from_stdin.err
    assert from_stdin.out == from_file.out


def test_a_byte_order_mark_on_standard_input_is_accepted(example_file: Path) -> None:
    run = tinnhiem_tally("-", "--json", stdin=b"\xef\xbb\xbf" + example_file.read_bytes())
    assert run.code == 0, run.err
    assert json.loads(run.out)["ballots"]["collected"] == 5


def test_param_percentage_base_issued_changes_the_base(example_file: Path) -> None:
    run = tinnhiem_tally(str(example_file), "--json", "--param", "percentage_base=issued")
    assert run.code == 0, run.err
    result = json.loads(run.out)
    assert result["base"] == {"basis": "issued", "value": 17}
    assert result["candidates"][0]["percent"] == {
        "cao": "5.88",
        "tin_nhiem": "5.88",
        "thap": "0.00",
    }


def test_a_repeated_param_applies_every_override(tmp_path: Path) -> None:
    data = {**DOCUMENTED_EXAMPLE, "present": 11}
    path = write_record(tmp_path, data)
    run = tinnhiem_tally(
        str(path),
        "--json",
        "--param",
        "quorum_fraction=1/2",
        "--param",
        "signature_voids_ballot=true",
    )
    assert run.code == 0, run.err
    result = json.loads(run.out)
    assert result["quorum"]["required"] == 9
    assert result["quorum"]["met"] is True
    assert result["ballots"]["whole_invalid"] == 3


def test_an_nq85_record_without_members_total_is_refused_naming_the_field(
    tmp_path: Path,
) -> None:
    data = {**DOCUMENTED_EXAMPLE, "profile": "nq85-2014"}
    del data["members_total"]
    path = write_record(tmp_path, data)
    line = assert_one_line_refusal(tinnhiem_tally(str(path), "--json"), str(path))
    assert f"{path}: $.members_total: " in line


def test_an_nq85_record_takes_percentages_of_total_members(tmp_path: Path) -> None:
    data = {**DOCUMENTED_EXAMPLE, "profile": "nq85-2014", "members_total": 20}
    run = tinnhiem_tally(str(write_record(tmp_path, data)), "--json")
    assert run.code == 0, run.err
    result = json.loads(run.out)
    assert result["base"] == {"basis": "members_total", "value": 20}
    assert result["candidates"][0]["percent"]["cao"] == "5.00"


def test_a_conference_without_quorum_still_tallies_and_says_so(tmp_path: Path) -> None:
    data = {**DOCUMENTED_EXAMPLE, "present": 11, "ballots_issued": 11}
    run = tinnhiem_tally(str(write_record(tmp_path, data)), "--json")
    assert run.code == 0, run.err
    result = json.loads(run.out)
    assert result["quorum"] == {"summoned": 17, "present": 11, "required": 12, "met": False}
    assert "quorum_not_met" in [w["code"] for w in result["warnings"]]
    assert result["candidates"][0]["counts"]["cao"] == 1


def test_the_report_of_a_conference_without_quorum_says_it_is_not_met(tmp_path: Path) -> None:
    data = {**DOCUMENTED_EXAMPLE, "present": 11, "ballots_issued": 11}
    run = tinnhiem_tally(str(write_record(tmp_path, data)))
    assert run.code == 0, run.err
    assert "KHÔNG ĐỦ điều kiện tiến hành: cần ít nhất 12" in run.out
    assert "[quorum_not_met]" in run.out


# ----------------------------------------------------------------- refusals


@pytest.mark.parametrize("case", MALFORMED, ids=lambda c: c.name)
def test_a_malformed_record_exits_2_with_one_line_naming_file_and_path(
    tmp_path: Path, case: Malformed
) -> None:
    path = write_record(tmp_path, case.record())
    run = tinnhiem_tally(str(path), "--json")
    assert_one_line_refusal(run, f"{path}: {case.path}: ")


def test_a_refusal_is_in_english_with_lang_en(tmp_path: Path) -> None:
    path = write_record(tmp_path, {**DOCUMENTED_EXAMPLE, "present": -1})
    line = assert_one_line_refusal(tinnhiem_tally(str(path), "--lang", "en"), lang="en")
    assert line == f"tinnhiem tally: error: {path}: $.present: must not be negative (-1)"


def test_a_refusal_on_standard_input_names_stdin() -> None:
    data = {**DOCUMENTED_EXAMPLE, "kind": "vote"}
    run = tinnhiem_tally("-", stdin=json.dumps(data).encode())
    assert_one_line_refusal(run, "<stdin>: $.kind: ")


def _text_with(replacement: tuple[str, str]) -> str:
    text = json.dumps(DOCUMENTED_EXAMPLE, ensure_ascii=False)
    old, new = replacement
    assert old in text
    return text.replace(old, new, 1)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        pytest.param(
            _text_with(('"summoned": 17', '"summoned": 17, "summoned": 16')),
            ": $: khóa JSON 'summoned' xuất hiện hai lần",
            id="duplicate key",
        ),
        pytest.param(
            _text_with(('"present": 17', '"present": NaN')),
            "NaN",
            id="NaN",
        ),
        pytest.param(
            _text_with(('"present": 17', '"present": Infinity')),
            "Infinity",
            id="Infinity",
        ),
        pytest.param(
            '{\n  "format": "tinnhiem.conference-record/1",\n  "profile": \n}\n',
            "JSON không hợp lệ ở dòng 4, cột 1",
            id="invalid JSON",
        ),
        pytest.param(
            _text_with(("}]}", "}]")),
            "JSON không hợp lệ ở dòng 1, cột",
            id="truncated JSON",
        ),
        pytest.param("", "JSON không hợp lệ ở dòng 1, cột 1", id="empty file"),
        pytest.param("  \n\n", "JSON không hợp lệ ở dòng 3, cột 1", id="blank file"),
    ],
)
def test_text_that_is_not_a_json_record_exits_2_with_one_line(
    tmp_path: Path, text: str, fragment: str
) -> None:
    path = tmp_path / "record.json"
    path.write_text(text, encoding="utf-8")
    assert_one_line_refusal(tinnhiem_tally(str(path)), f"{path}: ", fragment)


def test_a_missing_file_exits_2_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "khong-co.json"
    line = assert_one_line_refusal(tinnhiem_tally(str(path)))
    assert line == f"tinnhiem tally: lỗi: {path}: không tìm thấy tệp"


def test_a_directory_exits_2_with_one_line(tmp_path: Path) -> None:
    line = assert_one_line_refusal(tinnhiem_tally(str(tmp_path), "--lang", "en"), lang="en")
    assert line == f"tinnhiem tally: error: {tmp_path}: is a directory"


def test_bytes_that_are_not_utf_8_exit_2_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "record.json"
    text = json.dumps(DOCUMENTED_EXAMPLE, ensure_ascii=False)
    path.write_bytes(text.encode("cp1258", errors="replace"))
    line = assert_one_line_refusal(tinnhiem_tally(str(path)), f"{path}: ")
    assert "không phải văn bản UTF-8 (byte " in line


def test_utf_16_text_exits_2_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "record.json"
    path.write_bytes(json.dumps(DOCUMENTED_EXAMPLE, ensure_ascii=False).encode("utf-16"))
    assert_one_line_refusal(tinnhiem_tally(str(path)), f"{path}: ", "UTF-8")


@pytest.mark.parametrize(
    ("param", "fragments"),
    [
        pytest.param(
            "percentage_base=votes",
            ["{file}: ", "tham số percentage_base", "'votes'"],
            id="bad value",
        ),
        pytest.param("quorum_fraction=3/2", ["{file}: ", "quorum_fraction"], id="bad fraction"),
        pytest.param("nhiem_ky=5", ["{file}: ", "không có tham số 'nhiem_ky'"], id="unknown name"),
        pytest.param("percentage_base", ["--param 'percentage_base'"], id="no equals sign"),
        pytest.param("=issued", ["--param '=issued'"], id="no name"),
    ],
)
def test_a_bad_param_exits_2_with_one_line(
    example_file: Path, param: str, fragments: list[str]
) -> None:
    run = tinnhiem_tally(str(example_file), "--param", param)
    assert_one_line_refusal(run, *(f.format(file=example_file) for f in fragments))


def test_a_lone_surrogate_in_a_name_exits_2_without_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "record.json"
    text = json.dumps(DOCUMENTED_EXAMPLE).replace("\\u0110\\u1eb7ng", "\\ud800")
    assert "\\ud800" in text
    path.write_text(text, encoding="utf-8")
    assert_one_line_refusal(tinnhiem_tally(str(path), "--json"), "$.candidates[0].name")


def test_deeply_nested_json_exits_2_without_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "record.json"
    path.write_text('{"format": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    assert_one_line_refusal(tinnhiem_tally(str(path)), f"{path}: ")


# ----------------------------------------------------------------- no Django


def test_the_tally_path_never_imports_django(example_file: Path) -> None:
    script = textwrap.dedent(
        """
        import contextlib, io, sys

        attempts = []

        class RefuseDjango:
            def find_spec(self, name, path=None, target=None):
                if name == "django" or name.startswith("django."):
                    attempts.append(name)
                    raise ImportError("django must not be imported by tinnhiem tally")
                return None

        sys.meta_path.insert(0, RefuseDjango())
        from tinnhiem.cli.main import main

        with contextlib.redirect_stdout(io.StringIO()) as out:
            code = main(["tally", sys.argv[1], "--json"])
        assert code == 0, code
        assert '"tinnhiem.tally-result/1"' in out.getvalue()
        with contextlib.redirect_stdout(io.StringIO()):
            code = main(["tally", sys.argv[1]])
        assert code == 0, code
        assert attempts == [], attempts
        assert "django" not in sys.modules
        print("no django")
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", script, str(example_file)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONUTF8": "1"},
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "no django\n"
