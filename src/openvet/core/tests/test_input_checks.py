"""Names and phone numbers: the checks in ``core.codes``, their messages, the form fields."""

import pytest
from django import forms
from django.utils.translation import override

from openvet.core import codes, validation
from openvet.core.forms import NameField, PhoneField


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("张三", None),
        ("Li Hua", None),
        ("欧阳 娜娜", None),
        ("Zoë O'Brien-Smith", None),
        ("买买提·艾力", None),
        ("a\x00b", "control"),
        ("Li\nHua", "control"),
        ("Li\tHua", "control"),
        ("\x7f", "control"),
        ("\x85name", "control"),
        ("evil\u202etxt.exe", "bidi"),
        ("\u202aLi", "bidi"),
        ("\u2066Li\u2069", "bidi"),
        ("\u2067x", "bidi"),
        ("", "blank"),
        ("   ", "blank"),
        ("\u3000\u3000", "blank"),
        ("\u200b", "blank"),
        ("\u200b\u200c\u200d\u2060\ufeff", "blank"),
        ("\u00ad\u3164", "blank"),
        ("\u0301", "blank"),
    ],
)
def test_name_problem(value: str, problem: str | None) -> None:
    assert codes.name_problem(value) == problem


def test_names_are_stored_nfc_and_trimmed() -> None:
    decomposed = " Jose\u0301 "
    assert codes.name_normalise(decomposed) == "Jos\u00e9"
    assert len(codes.name_normalise(decomposed)) == 4


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("13800138000", None),
        ("19912345678", None),
        ("138 0013 8000", None),
        ("010-62345678", None),
        ("01062345678", None),
        ("021-5234567", None),
        ("0571-87654321", None),
        ("0571 8765 4321", None),
        ("0571-87654321-123", None),
        ("0898-3123456", None),
        ("12800138000", "format"),
        ("1380013800", "format"),
        ("138001380001", "format"),
        ("87654321", "format"),
        ("0571-07654321", "format"),
        ("0571-1765432", "format"),
        ("0171-87654321", "format"),
        ("0571-87654321-1234567", "format"),
        ("+1 555 0100", "format"),
        ("phone", "format"),
        ("", "format"),
    ],
)
def test_phone_problem(value: str, problem: str | None) -> None:
    assert codes.phone_problem(value) == problem


def test_messages_name_the_field_in_both_languages() -> None:
    with override("en"):
        assert validation.name_error("a\x00", label="Guardian's name") == (
            "Guardian's name must not contain control characters or line breaks."
        )
        assert validation.phone_error("12345", label="Guardian's phone") == (
            "Guardian's phone: enter an 11-digit mobile number, or a landline with its area "
            "code such as 0571-87654321."
        )
    with override("zh-hans"):
        assert validation.name_error("\u202eab", label="监护人姓名") == (
            "监护人姓名不能包含文字方向控制字符。"
        )
        assert validation.name_error("\u200b", label="姓名") == "姓名必须包含可见字符。"
        assert validation.name_error("  ", label="职称", required=False) == (
            "职称只有空白字符：请留空或填写实际内容。"
        )
        assert validation.mobile_error("1234", label="手机号码") == (
            "手机号码：请填写11位中国大陆手机号码。"
        )
    assert validation.name_error("", label="x", required=False) is None
    assert validation.phone_error("", label="x") is None


class _PersonForm(forms.Form):
    name = NameField(label="Name", max_length=20)
    nickname = NameField(label="Nickname", max_length=20, required=False)
    phone = PhoneField(label="Phone", max_length=20, required=False)


def test_the_form_fields_refuse_bad_names_and_phones_and_keep_what_was_typed() -> None:
    data = {"name": "Li\u202eHua", "nickname": "\u200b", "phone": "12345"}
    form = _PersonForm(data)
    with override("en"):
        assert not form.is_valid()
        assert form.errors == {
            "name": ["Name must not contain text-direction control characters."],
            "nickname": ["Nickname must contain visible characters."],
            "phone": [
                "Phone: enter an 11-digit mobile number, or a landline with its area code "
                "such as 0571-87654321."
            ],
        }
    html = str(form["phone"])
    assert 'value="12345"' in html


def test_the_form_fields_clean_to_nfc_and_allow_empty_optionals() -> None:
    form = _PersonForm({"name": " Jose\u0301 ", "nickname": "", "phone": "0571-87654321"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"name": "Jos\u00e9", "nickname": "", "phone": "0571-87654321"}


def test_a_required_name_of_spaces_is_refused() -> None:
    form = _PersonForm({"name": "   "})
    with override("en"):
        assert not form.is_valid()
        assert form.errors["name"] == ["Name must contain visible characters."]
