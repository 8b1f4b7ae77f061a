"""GuardDuty IP sets, threat intel sets, threat entity sets and trusted entity sets, which moto lacks.

moto 5.2.5 has none of the list operations: `guardduty-hub status` lists each set a detector holds
(the config makes none, so every one is drift; a trusted list that is ACTIVE stops findings). Each
kind has Create, Get, List, Update and Delete, following the GuardDuty API reference
(https://docs.aws.amazon.com/guardduty/latest/APIReference/API_CreateIPSet.html and its siblings),
with request and response field names from botocore's GuardDuty model. The four kinds differ only
in their path segment, id field and quota, so one table (`KINDS`) drives them all.

State lives on moto's `Detector` (`hub_lists`: path segment -> set id -> record). Deliberate
simplifications: activating is immediate (ACTIVE, never ACTIVATING), the file at `location` is
never read, and `createdAt`/`updatedAt` are returned for every kind.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable

from moto.guardduty import urls
from moto.guardduty.models import Detector
from moto.guardduty.responses import GuardDutyResponse

from .guardduty import BadRequestError
from .guardduty_findings import _page

#: `Format` values the API model allows.
FORMATS = ("TXT", "STIX", "OTX_CSV", "ALIEN_VAULT", "PROOF_POINT", "FIRE_EYE")


@dataclass(frozen=True)
class Kind:
    """One kind of list: the operations' names, its path segment, its id field and how many a detector may hold."""

    #: Operation noun as in `CreateIPSet`: IPSet, ThreatIntelSet, ...
    noun: str
    #: snake_case noun for moto's method names: ip_set, threat_intel_set, ...
    snake: str
    #: URL segment (botocore's requestUri): ipset, threatintelset, ...
    segment: str
    #: Id field in camelCase (`ipSetId`); the list field is this plus `s`.
    id_field: str
    #: GuardDuty quota per account and region (the Service Quotas page of the GuardDuty user guide).
    quota: int


KINDS = (
    Kind("IPSet", "ip_set", "ipset", "ipSetId", 1),
    Kind("ThreatIntelSet", "threat_intel_set", "threatintelset", "threatIntelSetId", 6),
    Kind("ThreatEntitySet", "threat_entity_set", "threatentityset", "threatEntitySetId", 6),
    Kind("TrustedEntitySet", "trusted_entity_set", "trustedentityset", "trustedEntitySetId", 1),
)


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _sets(detector: Detector, kind: Kind) -> dict[str, dict[str, Any]]:
    if not hasattr(detector, "hub_lists"):
        detector.hub_lists = {}  # type: ignore[attr-defined]
    return detector.hub_lists.setdefault(kind.segment, {})  # type: ignore[attr-defined,no-any-return]


def _status(activate: Any) -> str:
    return "ACTIVE" if activate else "INACTIVE"


class _Request:
    """What a handler reads from moto's GuardDutyResponse: `/detector/{id}/<segment>[/{setId}]`."""

    def __init__(self, response: Any, kind: Kind) -> None:
        self.response = response
        self.kind = kind
        parts = response.path.split("/")
        self.detector: Detector = response.guardduty_backend.get_detector(parts[2])
        self.set_id = parts[4] if len(parts) > 4 else None

    def param(self, name: str) -> Any:
        value = self.response._get_param(name)
        return value if value is not None else (self.response.querystring.get(name) or [None])[0]

    def existing(self) -> dict[str, Any]:
        record = _sets(self.detector, self.kind).get(self.set_id or "")
        if record is None:
            raise BadRequestError(f"The request is rejected because the {self.kind.noun} {self.set_id} does not exist.")
        return record


def _create(kind: Kind) -> Callable[[Any], str]:
    def create(self: Any) -> str:
        request = _Request(self, kind)
        sets = _sets(request.detector, kind)
        name, fmt, location = request.param("name"), request.param("format"), request.param("location")
        if not name or not location:
            raise BadRequestError("The request is rejected because name and location are required.")
        if fmt not in FORMATS:
            raise BadRequestError(f"The request is rejected because format must be one of {', '.join(FORMATS)}.")
        if len(sets) >= kind.quota:
            raise BadRequestError(f"The request is rejected because the detector already has {kind.quota} {kind.noun} (the quota).")
        set_id = uuid.uuid4().hex
        sets[set_id] = {
            "name": name,
            "format": fmt,
            "location": location,
            "status": _status(request.param("activate")),
            "tags": request.param("tags") or {},
            "createdAt": _now(),
            "updatedAt": _now(),
        }
        return json.dumps({kind.id_field: set_id})

    create.__doc__ = f"API_Create{kind.noun}: ACTIVE at once when `activate`, else INACTIVE."
    return create


def _get(kind: Kind) -> Callable[[Any], str]:
    def get(self: Any) -> str:
        return json.dumps(_Request(self, kind).existing())

    get.__doc__ = f"API_Get{kind.noun}: name, format, location, status and tags."
    return get


def _list(kind: Kind) -> Callable[[Any], str]:
    def list_sets(self: Any) -> str:
        request = _Request(self, kind)
        page = _page(sorted(_sets(request.detector, kind)), request.param("maxResults"), request.param("nextToken"))
        return json.dumps({f"{kind.id_field}s": page["items"], "nextToken": page["nextToken"]})

    list_sets.__doc__ = f"API_List{kind.noun}s: the ids, MaxResults (1-50) at a time with NextToken."
    return list_sets


def _update(kind: Kind) -> Callable[[Any], str]:
    def update(self: Any) -> str:
        request = _Request(self, kind)
        record = request.existing()
        for field in ("name", "location"):
            if request.param(field):
                record[field] = request.param(field)
        if request.param("activate") is not None:
            record["status"] = _status(request.param("activate"))
        record["updatedAt"] = _now()
        return "{}"

    update.__doc__ = f"API_Update{kind.noun}: name, location and activation."
    return update


def _delete(kind: Kind) -> Callable[[Any], str]:
    def delete(self: Any) -> str:
        request = _Request(self, kind)
        request.existing()
        del _sets(request.detector, kind)[request.set_id or ""]
        return "{}"

    delete.__doc__ = f"API_Delete{kind.noun}: the set is gone."
    return delete


def install() -> None:
    """Adds the five operations of each kind to GuardDutyResponse and their paths to moto's GuardDuty url map."""
    for kind in KINDS:
        setattr(GuardDutyResponse, f"create_{kind.snake}", _create(kind))
        setattr(GuardDutyResponse, f"get_{kind.snake}", _get(kind))
        setattr(GuardDutyResponse, f"list_{kind.snake}s", _list(kind))
        setattr(GuardDutyResponse, f"update_{kind.snake}", _update(kind))
        setattr(GuardDutyResponse, f"delete_{kind.snake}", _delete(kind))
        urls.url_paths.setdefault(f"{{0}}/detector/(?P<detector_id>[^/]+)/{kind.segment}$", GuardDutyResponse.dispatch)
        urls.url_paths.setdefault(
            f"{{0}}/detector/(?P<detector_id>[^/]+)/{kind.segment}/(?P<set_id>[^/]+)$", GuardDutyResponse.dispatch
        )
