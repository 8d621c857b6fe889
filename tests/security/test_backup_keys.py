"""Rotating the identity key (issue 16, item 12): `rotate_identity_key` re-encrypts every
sealed value under the first key of FIELD_ENCRYPTION_KEY, after which the old key can
be removed and every identity still reads."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.core.management.base import CommandError

from notifications.models import Notice
from petitions.identity import decrypt_identity
from petitions.models import Petition
from sealing import crypto
from tests.factories import submit_petition

pytestmark = pytest.mark.django_db

OLD = Fernet.generate_key().decode()
NEW = Fernet.generate_key().decode()


def _sealed(settings):
    settings.FIELD_ENCRYPTION_KEY = OLD
    for n in range(3):
        submit_petition(
            kind="denunciation", name=f"Người tố cáo {n}", email=f"to.cao{n}@example.vn"
        )
    submit_petition(kind="complaint", name="Trần Thị Bình", email="binh@example.vn")
    assert Notice.objects.exclude(email="").exists()  # the receipts to the citizens


def _read_all() -> tuple[list[str], list[str]]:
    names = sorted(decrypt_identity(p.identity).name for p in Petition.objects.all())
    addresses = sorted(n.address for n in Notice.objects.exclude(email=""))
    return names, addresses


def test_every_identity_and_address_reads_with_the_new_key_alone(settings, capsys):
    _sealed(settings)
    before = _read_all()
    settings.FIELD_ENCRYPTION_KEY = f"{NEW},{OLD}"
    call_command("rotate_identity_key", batch_size=2)
    out = capsys.readouterr().out
    assert "petitions.Petition.identity" in out
    assert "notifications.Notice.email" in out
    assert "petitions.Petition.identity: 4/4" in out  # progress, batch by batch
    assert "0 opened by no key" in out

    settings.FIELD_ENCRYPTION_KEY = NEW  # the old key removed
    assert _read_all() == before
    assert "Người tố cáo 0" in before[0]
    assert all(crypto.decrypt(p.identity) is not None for p in Petition.objects.all())
    call_command("rotate_identity_key", "--check")

    settings.FIELD_ENCRYPTION_KEY = OLD  # the old key alone opens nothing now
    assert all(crypto.decrypt(p.identity) is None for p in Petition.objects.all())


def test_a_second_run_changes_nothing(settings, capsys):
    _sealed(settings)
    settings.FIELD_ENCRYPTION_KEY = f"{NEW},{OLD}"
    call_command("rotate_identity_key")
    tokens = list(Petition.objects.order_by("pk").values_list("identity", flat=True))
    capsys.readouterr()
    call_command("rotate_identity_key")
    assert "Done: 0 re-encrypted" in capsys.readouterr().out
    assert list(Petition.objects.order_by("pk").values_list("identity", flat=True)) == tokens


def test_check_fails_while_a_value_needs_the_old_key_and_changes_nothing(settings):
    _sealed(settings)
    settings.FIELD_ENCRYPTION_KEY = f"{NEW},{OLD}"
    tokens = list(Petition.objects.values_list("identity", flat=True))
    with pytest.raises(CommandError, match="still need an older key"):
        call_command("rotate_identity_key", "--check")
    assert list(Petition.objects.values_list("identity", flat=True)) == tokens


def test_a_value_no_key_opens_is_left_and_reported(settings):
    _sealed(settings)
    settings.FIELD_ENCRYPTION_KEY = NEW  # the old key forgotten before rotating
    with pytest.raises(CommandError, match="open with none of the keys"):
        call_command("rotate_identity_key")
    settings.FIELD_ENCRYPTION_KEY = f"{NEW},{OLD}"  # nothing was lost
    assert "Người tố cáo 1" in _read_all()[0]


def test_a_demo_sealed_with_the_development_key_moves_to_a_real_key(settings):
    settings.FIELD_ENCRYPTION_KEY = ""
    submit_petition(kind="denunciation", name="Lê Văn Cường")
    settings.FIELD_ENCRYPTION_KEY = NEW
    call_command("rotate_identity_key", "--from-development-key")
    assert decrypt_identity(Petition.objects.get().identity).name == "Lê Văn Cường"
