"""Re-key the citizens' notices already in the outbox (issue 16).

A citizen's part of a key used to be a digest of the address alone, the same on every
petition, so a reader of the outbox could tie a denunciation to the same person's
complaint. New notices digest the caller's key with the address
(notifications.services._recipient_part); this rewrites the old ones the same way.
The formula is copied here on purpose: a migration must not change when the code does.
"""

from django.db import migrations

from sealing.crypto import decrypt, keyed_digest


def _citizen_key(key: str, address: str) -> str | None:
    parts = key.rsplit(":", 2)
    if len(parts) != 3 or not parts[1].startswith("e"):
        return None
    caller, _old, channel = parts
    digest = keyed_digest(f"{caller}\n{address.strip().lower()}", purpose="notice-recipient")
    return f"{caller}:e{digest[:16]}:{channel}"


def rekey(apps, schema_editor):
    Notice = apps.get_model("notifications", "Notice")
    for notice in Notice.objects.filter(user__isnull=True).exclude(email="").iterator():
        address = decrypt(notice.email)
        new_key = _citizen_key(notice.key, address) if address else None
        if new_key and new_key != notice.key:
            Notice.objects.filter(pk=notice.pk).update(key=new_key)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0002_encrypt_email")]

    operations = [migrations.RunPython(rekey, migrations.RunPython.noop)]
