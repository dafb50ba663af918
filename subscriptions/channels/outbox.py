"""The outbox: what a channel would send, written as one JSON file per message (`make run`, tests).

Each file is `LINLI_OUTBOX_DIR/<channel>/<id>.json`, written aside and renamed,
so a reader never sees half a message.
"""

import json
import os
import tempfile
import uuid
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from subscriptions.channels import DeliveryError


def outbox_write(channel: str, **fields) -> str:
    """Write one message (`id` first, `sent_at` last); returns its id."""
    message_id = f"{timezone.now():%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}"
    record = {"id": message_id, **fields, "sent_at": timezone.now().isoformat()}
    folder = Path(settings.LINLI_OUTBOX_DIR) / channel
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, partial = tempfile.mkstemp(dir=folder, prefix=".", suffix=".part")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(record, out, ensure_ascii=False, indent=2)
        os.replace(partial, folder / f"{message_id}.json")
    except OSError as exc:
        raise DeliveryError(f"outbox: {exc}") from exc
    return message_id
