"""GuardDuty CreateSampleFindings, which moto lacks: the samples travel EventBridge as real findings do.

API_CreateSampleFindings (https://docs.aws.amazon.com/guardduty/latest/APIReference/API_CreateSampleFindings.html)
generates sample findings of the given types with the given detector. GuardDuty publishes them like
any finding: a `GuardDuty Finding` event (source `aws.guardduty`) on the default event bus of the
detector's account and region, the finding in `detail`, marked as a sample with
`service.additionalInfo.sample: true` (the console shows them with a [SAMPLE] prefix). Here each
sample is put on moto's default bus of that account and region, so the rules the hub's region stacks
created carry it on, and the finding is recorded on the detector (not archived), so ListFindings lists it.

Deliberate simplifications: without `findingTypes` GuardDuty makes one sample of every type; here one
of `DEFAULT_TYPE`. Severities come from `SEVERITIES` (GuardDuty's own per type), Medium (5) for a
type not listed there. The resource is a fictitious EC2 instance, as GuardDuty's samples use.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timezone
from typing import Any

from moto.events.models import events_backends
from moto.guardduty import urls
from moto.guardduty.models import GuardDutyBackend
from moto.guardduty.responses import GuardDutyResponse

from .guardduty import BadRequestError
from .guardduty_findings import _findings

#: The type made when the request names none.
DEFAULT_TYPE = "Backdoor:EC2/DenialOfService.Tcp"

#: Severities of the types the hub's tests and `smoke` create (GuardDuty's finding type reference).
SEVERITIES = {
    "Backdoor:EC2/DenialOfService.Tcp": 8.0,
    "Recon:EC2/PortProbeUnprotectedPort": 2.0,
    "UnauthorizedAccess:EC2/SSHBruteForce": 2.0,
    "CryptoCurrency:EC2/BitcoinTool.B!DNS": 8.0,
}


def sample_finding(account: str, region: str, detector_id: str, finding_type: str) -> dict[str, Any]:
    """The `detail` of one sample finding of `finding_type`, as GuardDuty shapes a finding."""
    finding_id = uuid.uuid4().hex
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    return {
        "schemaVersion": "2.0",
        "accountId": account,
        "region": region,
        "partition": "aws",
        "id": finding_id,
        "arn": f"arn:aws:guardduty:{region}:{account}:detector/{detector_id}/finding/{finding_id}",
        "type": finding_type,
        "title": f"Sample finding of type {finding_type}.",
        "description": f"This is a sample finding of type {finding_type}, created by CreateSampleFindings.",
        "severity": SEVERITIES.get(finding_type, 5.0),
        "createdAt": now,
        "updatedAt": now,
        "resource": {"resourceType": "Instance", "instanceDetails": {"instanceId": "i-99999999", "instanceType": "m3.xlarge"}},
        "service": {
            "serviceName": "guardduty",
            "detectorId": detector_id,
            "resourceRole": "TARGET",
            "additionalInfo": {"sample": True},
            "eventFirstSeen": now,
            "eventLastSeen": now,
            "archived": False,
            "count": 1,
        },
    }


class SampleOperations:
    """CreateSampleFindings, as a method of moto's GuardDutyResponse (mixed in by `install`)."""

    guardduty_backend: GuardDutyBackend
    path: str
    region: str
    current_account: str
    _get_param: Any

    def create_sample_findings(self) -> str:
        """API_CreateSampleFindings: one event per type on this account's default bus in this region."""
        detector = self.guardduty_backend.get_detector(self.path.split("/")[2])
        types = self._get_param("findingTypes") or [DEFAULT_TYPE]
        if len(types) > 50:
            raise BadRequestError("findingTypes must hold at most 50 types.")
        bus = events_backends[self.current_account][self.region]
        for finding_type in types:
            detail = sample_finding(self.current_account, self.region, detector.id, finding_type)
            entry = {"Source": "aws.guardduty", "DetailType": "GuardDuty Finding", "Detail": json.dumps(detail)}
            [result] = bus.put_events([entry])
            if "EventId" not in result:
                raise BadRequestError(f"the sample could not be published: {result.get('ErrorMessage')}")
            _findings(detector)[detail["id"]] = False
        return "{}"


#: URL path (botocore's requestUri) that moto's GuardDuty url map lacks.
EXTRA_PATHS = ("{0}/detector/(?P<detector_id>[^/]+)/findings/create$",)


def install() -> None:
    """Adds the operation to GuardDutyResponse and its path to moto's GuardDuty url map."""
    GuardDutyResponse.create_sample_findings = SampleOperations.create_sample_findings  # type: ignore[attr-defined]
    for path in EXTRA_PATHS:
        urls.url_paths.setdefault(path, GuardDutyResponse.dispatch)
