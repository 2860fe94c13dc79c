"""The audit log: who changed what, when, written in the same transaction as the change."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.server.models import AuditEntry, utcnow


@dataclass(frozen=True)
class Actor:
    account_id: int | None
    username: str
    ip: str | None = None


SYSTEM = Actor(None, "kiosk-server")


def _short(value: Any, limit: int = 200) -> Any:
    if isinstance(value, str) and len(value) > limit:
        return value[:limit] + "…"
    if isinstance(value, (list, dict)):
        import json

        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
        return text if len(text) <= limit else text[:limit] + "…"
    return value


def diff(old: dict[str, Any] | None, new: dict[str, Any] | None) -> dict[str, Any]:
    """Changed fields as {field: [before, after]}, translations as ``field@en``."""
    old, new = old or {}, new or {}
    out: dict[str, Any] = {}
    for key in sorted(set(old) | set(new)):
        if key == "x_translations":
            old_tr, new_tr = old.get(key) or {}, new.get(key) or {}
            for lang in sorted(set(old_tr) | set(new_tr)):
                a, b = old_tr.get(lang) or {}, new_tr.get(lang) or {}
                for field in sorted(set(a) | set(b)):
                    if a.get(field) != b.get(field):
                        out[f"{field}@{lang}"] = [_short(a.get(field)), _short(b.get(field))]
            continue
        if old.get(key) != new.get(key):
            out[key] = [_short(old.get(key)), _short(new.get(key))]
    return out


def record(db: Session, actor: Actor, action: str, *, entity_type: str = "", entity_id: str = "",
           summary: str = "", details: dict[str, Any] | None = None) -> AuditEntry:
    entry = AuditEntry(at=utcnow(), account_id=actor.account_id, actor=actor.username[:64], action=action,
                       entity_type=entity_type, entity_id=str(entity_id)[:64], summary=summary[:500],
                       details=details or None, ip=actor.ip)
    db.add(entry)
    return entry


def recorded_since(db: Session, action: str, ip: str, since: datetime) -> bool:
    """Whether ``action`` was recorded from ``ip`` at ``since`` or later."""
    return db.scalar(select(AuditEntry.id).where(AuditEntry.action == action, AuditEntry.ip == ip,
                                                 AuditEntry.at >= since).limit(1)) is not None
