from datetime import date

import pytest

from openvet.core import codes


@pytest.mark.parametrize("value", ["11010519491231002X", "440524188001010014"])
def test_valid_id_numbers_have_no_problem(value):
    assert codes.id_number_problem(value) is None


def test_wrong_check_digit_is_reported():
    assert codes.id_number_problem("110101199003072345") == "check_digit"


def test_check_character_x_is_computed():
    assert codes.id_number_check_char("11010519491231002") == "X"


def test_lower_case_x_is_accepted():
    assert codes.id_number_problem("11010519491231002x") is None


@pytest.mark.parametrize(
    "value",
    ["", "1101051949123100", "1101051949123100211", "11010519491231002Y", "A1010519491231002X"],
)
def test_malformed_id_numbers_are_format_problems(value):
    assert codes.id_number_problem(value) == "format"


def test_unknown_region_prefix_is_reported():
    assert codes.id_number_problem("99010519491231002X") == "region"


@pytest.mark.parametrize(
    "value", ["110105194902300021", "110105194913010021", "110105190000000021"]
)
def test_impossible_birth_dates_are_reported(value):
    assert codes.id_number_problem(value) == "birth_date"


def test_future_birth_date_is_reported():
    first17 = "11010520300101002"
    value = first17 + codes.id_number_check_char(first17)
    assert codes.id_number_problem(value, today=date(2026, 1, 1)) == "birth_date"


def test_birth_date_today_is_accepted():
    first17 = "11010520260101002"
    value = first17 + codes.id_number_check_char(first17)
    assert codes.id_number_problem(value, today=date(2026, 1, 1)) is None


def test_birth_date_is_read_from_positions_7_to_14():
    assert codes.id_number_birth_date("11010519491231002X") == date(1949, 12, 31)


@pytest.mark.parametrize(
    ("value", "gender"), [("11010519491231002X", "2"), ("440524188001010014", "1")]
)
def test_gender_follows_the_parity_of_the_17th_digit(value, gender):
    assert codes.id_number_gender(value) == gender


def test_valid_credit_code_has_no_problem():
    assert codes.credit_code_problem("91350100M000100Y43") is None


def test_credit_code_check_character_is_computed():
    assert codes.credit_code_check_char("91350100M000100Y4") == "3"


@pytest.mark.parametrize(
    "value", ["91350100M000100Y44", "91350100M000100Y53", "92350100M000100Y43"]
)
def test_one_changed_character_breaks_the_credit_code(value):
    assert codes.credit_code_problem(value) == "check_digit"


@pytest.mark.parametrize(
    "value",
    ["", "91350100M000100Y4", "91350100M000100Y433", "91350100I000100Y43", "9135A100M000100Y43"],
)
def test_malformed_credit_codes_are_format_problems(value):
    assert codes.credit_code_problem(value) == "format"


def test_credit_code_is_case_insensitive():
    assert codes.credit_code_problem("91350100m000100y43") is None


@pytest.mark.parametrize(
    ("value", "kind"), [("330000", "province"), ("330100", "city"), ("330106", "county")]
)
def test_region_codes_at_their_level(value, kind):
    assert codes.region_code_problem(value, kind) is None


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("330100", "province"),
        ("330000", "city"),
        ("330106", "city"),
        ("330100", "county"),
        ("330000", "county"),
    ],
)
def test_region_codes_at_the_wrong_level(value, kind):
    assert codes.region_code_problem(value, kind) == "level"


@pytest.mark.parametrize("value", ["33000", "3300000", "33000A", ""])
def test_malformed_region_codes(value):
    assert codes.region_code_problem(value, "province") == "format"


@pytest.mark.parametrize("value", ["4133012861", " 4133012861 "])
def test_school_codes_have_ten_digits(value):
    assert codes.school_code_problem(value) is None


@pytest.mark.parametrize("value", ["413301286", "41330128611", "413301286A"])
def test_malformed_school_codes(value):
    assert codes.school_code_problem(value) == "format"


@pytest.mark.parametrize("value", ["13812345678", "19912345678", " 15012345678 "])
def test_valid_mobile_numbers(value):
    assert codes.mobile_problem(value) is None


@pytest.mark.parametrize(
    "value", ["12812345678", "1381234567", "138123456789", "23812345678", "+8613812345678"]
)
def test_invalid_mobile_numbers(value):
    assert codes.mobile_problem(value) == "format"


@pytest.mark.parametrize(
    "value",
    [
        "13812345678",
        "+86 138 1234 5678",
        "0086-19912345678",
        "010-62345678",
        "(0571)88886666",
        "0571-8888666",
        "021 5123 4567",
        "0755-82345678",
    ],
)
def test_phone_accepts_mobiles_and_landlines_with_area_code(value: str) -> None:
    assert codes.phone_problem(value) is None


@pytest.mark.parametrize(
    "value",
    [
        "12812345678",
        "1381234567",
        "138123456789",
        "62345678",
        "010-12345678",
        "010-0234567",
        "0571-888866",
        "0571-888866661",
        "phone",
        "",
    ],
)
def test_phone_refuses_other_formats(value: str) -> None:
    assert codes.phone_problem(value) == "format"
