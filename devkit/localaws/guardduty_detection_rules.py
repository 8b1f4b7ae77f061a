"""GuardDuty Custom Detection Rule associations, which moto lacks.

moto 5.2.5 has none of the Custom Detection Rule operations: `guardduty-hub status` lists each
region's associations and flags those in dry run (GuardDuty only counts matches in CloudWatch
metrics, it makes no findings). An association links one rule of GuardDuty's catalog to the
calling account in a region and records its mode, `LIVE` or `DRY_RUN`. Create, Get, List, Update
and Delete follow the GuardDuty API reference
(https://docs.aws.amazon.com/guardduty/latest/APIReference/API_CreateCustomDetectionRuleAssociation.html
and its siblings), with request and response field names from botocore's GuardDuty model;
timestamps are epoch seconds, as the reference's response syntax shows.

State lives on moto's per-account, per-region `GuardDutyBackend` (`hub_rule_associations`:
association id -> record). Deliberate simplifications: the rule catalog (ListCustomDetectionRules,
GetCustomDetectionRule) and organization configurations are not served, so any rule id of the
model's pattern is accepted; a rule holds at most one association per account (a second is a
ConflictException); a dry run expires 14 days after it was created or switched to dry run (the
user guide: dry run associations expire 14 days after creation), and nothing ever removes it.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from typing import Any

from moto.core.exceptions import JsonRESTError
from moto.guardduty import urls
from moto.guardduty.models import GuardDutyBackend
from moto.guardduty.responses import GuardDutyResponse

from .guardduty import BadRequestError

#: AssociationMode values of the API model.
MODES = ("LIVE", "DRY_RUN")
#: The RuleId pattern of the API model.
RULE_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
#: DetectionRuleMaxResults: 1-100.
MAX_RESULTS = 100
#: How long a dry run lasts (the Custom Detection Rules page of the GuardDuty user guide).
DRY_RUN_SECONDS = 14 * 24 * 3600


class ResourceNotFoundError(JsonRESTError):
    """GuardDuty's 404 ResourceNotFoundException (Get and Update of an unknown association)."""

    code = 404

    def __init__(self, message: str) -> None:
        super().__init__("ResourceNotFoundException", message)


class ConflictError(JsonRESTError):
    """GuardDuty's 409 ConflictException (a second association of the same rule)."""

    code = 409

    def __init__(self, message: str) -> None:
        super().__init__("ConflictException", message)


def _associations(backend: GuardDutyBackend) -> dict[str, dict[str, Any]]:
    if not hasattr(backend, "hub_rule_associations"):
        backend.hub_rule_associations = {}  # type: ignore[attr-defined]
    return backend.hub_rule_associations  # type: ignore[attr-defined,no-any-return]


def _mode(value: Any) -> str:
    if value not in MODES:
        raise BadRequestError(f"The request is rejected because mode must be one of {', '.join(MODES)}.")
    return str(value)


def _set_mode(record: dict[str, Any], mode: str, now: float) -> None:
    record.update(mode=mode, updatedAt=now)
    if mode == "DRY_RUN":
        record["expiresAt"] = now + DRY_RUN_SECONDS
    else:
        record.pop("expiresAt", None)


def _summary(record: dict[str, Any]) -> dict[str, Any]:
    """AssociationSummary: AssociationDetail without the account and the tags."""
    return {k: v for k, v in record.items() if k not in ("accountId", "tags")}


class DetectionRuleOperations:
    """The association operations, as methods of moto's GuardDutyResponse (mixed in by `install`)."""

    guardduty_backend: GuardDutyBackend
    path: str
    region: str
    current_account: str
    partition: str
    querystring: dict[str, list[str]]
    _get_param: Any

    def _rule_query(self, name: str) -> Any:
        return (self.querystring.get(name) or [None])[0]

    def _rule_association(self) -> dict[str, Any]:
        # /custom-detection-rule/rule/{RuleId}/association/{AssociationId}
        parts = self.path.split("/")
        record = _associations(self.guardduty_backend).get(parts[5])
        if record is None or record["ruleId"] != parts[3]:
            raise ResourceNotFoundError(f"The request is rejected because association {parts[5]} of rule {parts[3]} does not exist.")
        return record

    def create_custom_detection_rule_association(self) -> str:
        """API_CreateCustomDetectionRuleAssociation: the rule runs in `mode` for this account and region."""
        rule_id, mode = self._get_param("ruleId") or "", _mode(self._get_param("mode"))
        if not RULE_ID.match(rule_id) or len(rule_id) > 100:
            raise BadRequestError("The request is rejected because ruleId does not match [a-z0-9]+(-[a-z0-9]+)*.")
        associations = _associations(self.guardduty_backend)
        if any(record["ruleId"] == rule_id for record in associations.values()):
            raise ConflictError(f"The request is rejected because rule {rule_id} is already associated with this account.")
        association_id, now = uuid.uuid4().hex, time.time()
        record: dict[str, Any] = {
            "associationId": association_id,
            "arn": f"arn:{self.partition}:guardduty:{self.region}:{self.current_account}:custom-detection-rule/{rule_id}/association/{association_id}",
            "ruleId": rule_id,
            "accountId": self.current_account,
            "createdAt": now,
            "tags": self._get_param("tags") or {},
        }
        _set_mode(record, mode, now)
        associations[association_id] = record
        return json.dumps({"ruleAssociation": {k: v for k, v in record.items() if k != "tags"}})

    def get_custom_detection_rule_association(self) -> str:
        """API_GetCustomDetectionRuleAssociation: the AssociationDetail and its tags."""
        record = self._rule_association()
        return json.dumps({"ruleAssociation": {k: v for k, v in record.items() if k != "tags"}, "tags": record["tags"]})

    def list_custom_detection_rule_associations(self) -> str:
        """API_ListCustomDetectionRuleAssociations: summaries, by creation, filtered by ruleId and mode, maxResults (1-100) at a time."""
        rule_id, mode = self._rule_query("ruleId"), self._rule_query("mode")
        if mode is not None:
            _mode(mode)
        records = sorted(_associations(self.guardduty_backend).values(), key=lambda r: (r["createdAt"], r["associationId"]))
        chosen = [r for r in records if rule_id in (None, r["ruleId"]) and mode in (None, r["mode"])]
        size, start = int(self._rule_query("maxResults") or MAX_RESULTS), int(self._rule_query("nextToken") or 0)
        if size < 1 or size > MAX_RESULTS:
            raise BadRequestError(f"The request is rejected because maxResults must be between 1 and {MAX_RESULTS}.")
        body: dict[str, Any] = {"ruleAssociations": [_summary(r) for r in chosen[start:start + size]]}
        if start + size < len(chosen):
            body["nextToken"] = str(start + size)
        return json.dumps(body)

    def update_custom_detection_rule_association(self) -> str:
        """API_UpdateCustomDetectionRuleAssociation: the new mode; a dry run's 14 days start again."""
        _set_mode(self._rule_association(), _mode(self._get_param("mode")), time.time())
        return "{}"

    def delete_custom_detection_rule_association(self) -> str:
        """API_DeleteCustomDetectionRuleAssociation: the rule stops; deleting one already gone succeeds (idempotent)."""
        parts = self.path.split("/")
        associations = _associations(self.guardduty_backend)
        if associations.get(parts[5], {}).get("ruleId") == parts[3]:
            del associations[parts[5]]
        return "{}"


#: URL paths (botocore's requestUri) of the association operations.
PATHS = (
    "{0}/custom-detection-rule/association$",
    "{0}/custom-detection-rule/rule/(?P<rule_id>[^/]+)/association/(?P<association_id>[^/]+)$",
)


def install() -> None:
    """Adds the five association operations to GuardDutyResponse and their paths to moto's GuardDuty url map."""
    for name, member in vars(DetectionRuleOperations).items():
        if callable(member) and not name.startswith("__"):
            setattr(GuardDutyResponse, name, member)
    for path in PATHS:
        urls.url_paths.setdefault(path, GuardDutyResponse.dispatch)
