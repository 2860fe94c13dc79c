"""What a kiosk's heartbeat may say: a JSON object of at most 16 KB (the body cap of
:mod:`sync.server.middleware`), checked by a pydantic model before anything is stored.

Known fields have a type and a range (an uptime of ``1e999``, ``NaN`` or ``10**30`` is refused);
texts are cut to their column's length; any other field is kept as the kiosk sent it. JSON that
is nested too deep, holds ``NaN``/``Infinity`` or an integer of thousands of digits is refused
by the parser: every refusal is a :class:`BadHeartbeat` with a reason for the kiosk's log.
"""
from __future__ import annotations

import json
import math
from typing import Annotated, Any, Optional

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

TEN_YEARS = 10 * 366 * 24 * 3600


def _clip(n: int) -> Any:
    return Optional[Annotated[str, Field(strict=True), AfterValidator(lambda text: text[:n])]]


Seconds = Optional[Annotated[float, Field(ge=0, le=TEN_YEARS, strict=True)]]


class Heartbeat(BaseModel):
    model_config = ConfigDict(extra="allow")

    kiosk_id: _clip(100) = None
    app_version: _clip(64) = None
    catalogue_version: Optional[Annotated[int, Field(ge=0, le=2**31 - 1, strict=True)]] = None
    last_sync: _clip(40) = None
    printer_state: _clip(64) = None
    printer: _clip(64) = None
    uptime: Seconds = None
    uptime_seconds: Seconds = None
    last_outcome: _clip(32) = None
    last_error: _clip(200) = None

    @property
    def uptime_reported(self) -> int | None:
        value = self.uptime if self.uptime is not None else self.uptime_seconds
        return int(value) if value is not None else None


class BadHeartbeat(ValueError):
    pass


def _no_constant(name: str) -> Any:
    raise BadHeartbeat(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise BadHeartbeat(f"{text[:20]} is out of range")
    return value


def parse(body: bytes) -> tuple[Heartbeat, dict[str, Any]]:
    """The checked heartbeat and the object as sent (to keep as the last payload)."""
    try:
        payload = json.loads(body or b"{}", parse_constant=_no_constant, parse_float=_finite)
    except BadHeartbeat:
        raise
    except RecursionError:
        raise BadHeartbeat("the body is nested too deeply") from None
    except ValueError:  # not JSON, not UTF-8, or an integer of too many digits
        raise BadHeartbeat("the body is not JSON") from None
    if not isinstance(payload, dict):
        raise BadHeartbeat("the body must be a JSON object")
    try:
        return Heartbeat.model_validate(payload), payload
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise BadHeartbeat(f"{where}: {first['msg']}") from None
