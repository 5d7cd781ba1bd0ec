import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import override_settings

from openvet.core import pii
from openvet.core.tests.actors import make_user

pytestmark = pytest.mark.django_db

ID_NUMBER = "11010519491231002X"
MOBILE = "13812345678"


def _raw_column(user, column):
    table = get_user_model()._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [user.pk])  # noqa: S608
        return cursor.fetchone()[0]


def test_encrypt_then_decrypt_returns_the_value():
    assert pii.decrypt(pii.encrypt(ID_NUMBER)) == ID_NUMBER


def test_encryption_is_not_deterministic():
    assert pii.encrypt(MOBILE) != pii.encrypt(MOBILE)


def test_decrypting_with_another_key_fails():
    token = pii.encrypt(MOBILE)
    other_key = override_settings(PII_ENCRYPTION_KEY="b3RoZXIta2V5LW90aGVyLWtleS1vdGhlci1rZXktMDA=")
    with other_key, pytest.raises(ValueError, match="cannot be decrypted"):
        pii.decrypt(token)


def test_id_number_is_stored_encrypted():
    user = make_user(id_number=ID_NUMBER)
    stored = _raw_column(user, "id_number")
    assert ID_NUMBER not in stored
    assert pii.decrypt(stored) == ID_NUMBER


def test_mobile_is_stored_encrypted():
    user = make_user(mobile=MOBILE)
    stored = _raw_column(user, "mobile")
    assert MOBILE not in stored
    assert pii.decrypt(stored) == MOBILE


def test_encrypted_field_reads_back_the_clear_value():
    user = make_user(id_number=ID_NUMBER, mobile=MOBILE)
    fresh = get_user_model().objects.get(pk=user.pk)
    assert (fresh.id_number, fresh.mobile) == (ID_NUMBER, MOBILE)


def test_empty_value_is_stored_empty():
    user = make_user(mobile="")
    assert _raw_column(user, "mobile") == ""


def test_digest_is_stable_and_not_the_value():
    assert pii.digest(ID_NUMBER) == pii.digest(ID_NUMBER)
    assert ID_NUMBER not in pii.digest(ID_NUMBER)


def test_digest_ignores_the_case_of_x_and_surrounding_spaces():
    assert pii.digest(" 11010519491231002x ") == pii.digest(ID_NUMBER)


def test_digest_differs_for_different_values():
    assert pii.digest("440524188001010014") != pii.digest(ID_NUMBER)


def test_digest_depends_on_the_key():
    before = pii.digest(ID_NUMBER)
    with override_settings(PII_ENCRYPTION_KEY="b3RoZXIta2V5LW90aGVyLWtleS1vdGhlci1rZXktMDA="):
        assert pii.digest(ID_NUMBER) != before


def test_digest_finds_the_row_by_exact_match_whatever_the_case():
    user = make_user(id_number=ID_NUMBER, id_number_digest=pii.digest(ID_NUMBER))
    make_user(id_number="440524188001010014", id_number_digest=pii.digest("440524188001010014"))
    found = get_user_model().objects.filter(id_number_digest=pii.digest("11010519491231002x"))
    assert list(found) == [user]


def test_mask_id_number():
    assert pii.mask_id_number(ID_NUMBER) == "110105********002X"


def test_mask_mobile():
    assert pii.mask_mobile(MOBILE) == "138****5678"


@pytest.mark.parametrize(
    ("value", "masked"), [("", ""), ("12345", "*****"), ("1234567890", "**********")]
)
def test_mask_id_number_of_short_values_hides_everything(value, masked):
    assert pii.mask_id_number(value) == masked


@pytest.mark.parametrize(("value", "masked"), [("", ""), ("1234567", "*******")])
def test_mask_mobile_of_short_values_hides_everything(value, masked):
    assert pii.mask_mobile(value) == masked
