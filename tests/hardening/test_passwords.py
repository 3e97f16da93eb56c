"""Passwords are hashed with Argon2id; older PBKDF2 hashes still verify and
are upgraded at the next login."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.hashers import check_password, identify_hasher, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

from tests.hardening.conftest import PASSWORD, post_login
from tinnhiem.accounts.models import User


def test_argon2_comes_first_and_pbkdf2_is_kept_for_old_hashes() -> None:
    assert settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in settings.PASSWORD_HASHERS


def test_a_new_password_is_hashed_with_argon2id(organiser: User) -> None:
    organiser.set_password("mot-mat-khau-moi-dai")
    organiser.save()
    organiser.refresh_from_db()
    assert organiser.password.startswith("argon2$argon2id$")
    assert identify_hasher(organiser.password).algorithm == "argon2"
    assert organiser.check_password("mot-mat-khau-moi-dai")
    assert not organiser.check_password("mot-mat-khau-khac")
    assert make_password("x").startswith("argon2$")


def test_an_old_pbkdf2_hash_still_logs_in_and_is_upgraded_to_argon2(
    client: Client, organiser: User
) -> None:
    organiser.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    organiser.save(update_fields=["password"])
    assert check_password(PASSWORD, organiser.password)
    response = post_login(client, organiser.username)
    assert response.status_code == 302  # type: ignore[attr-defined]
    organiser.refresh_from_db()
    assert organiser.password.startswith("argon2$")


def test_passwords_shorter_than_ten_characters_are_refused() -> None:
    with pytest.raises(ValidationError) as e:
        validate_password("ngan12345")
    assert any("10" in m for m in e.value.messages)
    validate_password("dai-hon-muoi-ky-tu")
