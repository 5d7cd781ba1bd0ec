"""The national code tables: every file loads, with the counts and entries of its standard.

Expected names are written as escapes: Chinese text lives only in data files.
"""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from openvet.core import codetables
from openvet.core.models import CodeItem

EXPECTED_COUNTS = {
    "gender": 4,
    "ethnicity": 58,
    "political_status": 13,
    "student_status": 16,
    "status_change_category": 35,
}


def test_every_file_reads_without_errors() -> None:
    rows = {
        table: codetables.read_table(codetables.table_path(table))
        for table in codetables.table_names()
    }

    assert sorted(rows) == [
        "ethnicity",
        "gender",
        "major_higher_vocational",
        "political_status",
        "region",
        "status_change_category",
        "status_change_reason",
        "student_status",
    ]


@pytest.mark.django_db
def test_migrate_loaded_every_table_with_the_file_counts() -> None:
    for table in codetables.table_names():
        expected = len(codetables.file_rows(table))
        assert CodeItem.objects.filter(table=table).count() == expected, table


@pytest.mark.django_db
@pytest.mark.parametrize(("table", "count"), EXPECTED_COUNTS.items())
def test_table_has_the_standard_number_of_codes(table: str, count: int) -> None:
    assert CodeItem.objects.filter(table=table).count() == count


@pytest.mark.django_db
def test_region_has_all_34_province_level_divisions() -> None:
    provinces = CodeItem.objects.filter(table="region", code__endswith="0000")

    assert provinces.count() == 34
    assert set(provinces.values_list("parent_code", flat=True)) == {""}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("table", "code", "name", "name_en", "parent_code"),
    [
        ("ethnicity", "01", "\u6c49\u65cf", "Han", ""),
        ("ethnicity", "05", "\u7ef4\u543e\u5c14\u65cf", "Uygur", ""),
        ("ethnicity", "56", "\u57fa\u8bfa\u65cf", "Jino", ""),
        (
            "ethnicity",
            "98",
            "\u5916\u56fd\u8840\u7edf\u4e2d\u56fd\u7c4d\u4eba\u58eb",
            "Chinese citizen of foreign origin",
            "",
        ),
        ("gender", "2", "\u5973\u6027", "Female", ""),
        (
            "political_status",
            "03",
            "\u4e2d\u56fd\u5171\u4ea7\u4e3b\u4e49\u9752\u5e74\u56e2\u56e2\u5458",
            "Member of the Communist Youth League of China",
            "",
        ),
        ("region", "330106", "\u897f\u6e56\u533a", "Xihu District", "330100"),
        ("region", "330200", "\u5b81\u6ce2\u5e02", "Ningbo", "330000"),
        (
            "major_higher_vocational",
            "510203",
            "\u8f6f\u4ef6\u6280\u672f",
            "Software technology",
            "5102",
        ),
        ("student_status", "06", "\u6d41\u5931", "Left without formalities", ""),
        ("status_change_category", "31", "\u9000\u5b66", "Withdrawal", ""),
        ("status_change_reason", "11", "\u7cbe\u795e\u75be\u75c5", "Mental illness", "10"),
    ],
)
def test_exact_entry(table: str, code: str, name: str, name_en: str, parent_code: str) -> None:
    item = CodeItem.objects.get(table=table, code=code)

    assert (item.name, item.name_en, item.parent_code) == (name, name_en, parent_code)


@pytest.mark.django_db
def test_loading_twice_changes_nothing() -> None:
    before = list(CodeItem.objects.values_list("pk", "table", "code", "name"))

    results = codetables.load_code_tables()

    assert {(r.created, r.updated) for r in results} == {(0, 0)}
    assert list(CodeItem.objects.values_list("pk", "table", "code", "name")) == before


@pytest.mark.django_db
def test_loading_restores_an_edited_name() -> None:
    CodeItem.objects.filter(table="gender", code="1").update(name="changed")

    (result,) = codetables.load_code_tables(tables=["gender"])

    assert (result.created, result.updated, result.unchanged) == (0, 1, 3)
    assert CodeItem.objects.get(table="gender", code="1").name == "\u7537\u6027"


@pytest.mark.django_db
def test_load_codes_command_adds_missing_codes() -> None:
    CodeItem.objects.filter(table="ethnicity").delete()

    call_command("load_codes", "ethnicity", stdout=StringIO())

    assert CodeItem.objects.filter(table="ethnicity").count() == 58


def test_a_file_with_an_unknown_parent_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "broken.csv"
    path.write_text("code,name,name_en,parent_code\n11,A,,10\n", encoding="utf-8")

    with pytest.raises(codetables.CodeTableError, match="parent 10 of 11 missing"):
        codetables.read_table(path)


def test_a_file_with_duplicate_codes_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "broken.csv"
    path.write_text("code,name,name_en,parent_code\n1,A,,\n1,B,,\n", encoding="utf-8")

    with pytest.raises(codetables.CodeTableError, match="duplicate codes 1"):
        codetables.read_table(path)


def test_a_file_with_a_wrong_header_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "broken.csv"
    path.write_text("code,name\n1,A\n", encoding="utf-8")

    with pytest.raises(codetables.CodeTableError, match="header"):
        codetables.read_table(path)
