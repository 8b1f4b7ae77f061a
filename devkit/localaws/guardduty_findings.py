"""GuardDuty archiving, filter listing and tags, on moto's GuardDuty backend (triage from Slack).

moto 5.2.5 keeps detectors and filters but has no ArchiveFindings, UnarchiveFindings, ListFindings,
ListFilters, TagResource or ListTagsForResource, and its CreateFilter overwrites a filter of the same
name and drops the tags. Each handler follows the GuardDuty API reference,
https://docs.aws.amazon.com/guardduty/latest/APIReference/API_<Operation>.html, with field names from
botocore's GuardDuty model (the model moto routes with).

moto has no findings, so archiving records state by finding id on the detector (`hub_findings`: id ->
archived), and ListFindings answers from it: criterion `service.archived` (Eq/Equals "true"/"false")
and `id`. Filter tags live on moto's `Filter` (`hub_tags`); the 100-filters-per-detector limit
(FilterRank is 1-100) is enforced.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import unquote

from moto.guardduty import urls
from moto.guardduty.models import Detector, Filter, GuardDutyBackend, guardduty_backends
from moto.guardduty.responses import GuardDutyResponse

from .guardduty import BadRequestError

#: FindingIds, FilterNames and MaxResults allow at most 50 (botocore's model).
MAX_IDS = 50
#: Filters per detector (FilterRank 1-100).
MAX_FILTERS = 100
#: FilterName: 3-64 characters of letters, digits, `.`, `_`, `-` (API_CreateFilter).
FILTER_NAME = re.compile(r"^[A-Za-z0-9_.-]{3,64}$")
#: arn:<partition>:guardduty:<region>:<account>:detector/<id>[/filter/<name>]
GUARDDUTY_ARN = re.compile(r"^arn:[a-z-]+:guardduty:([a-z0-9-]+):(\d{12}):detector/([A-Za-z0-9]+)(?:/filter/([A-Za-z0-9_.-]+))?$")


def _findings(detector: Detector) -> dict[str, bool]:
    if not hasattr(detector, "hub_findings"):
        detector.hub_findings = {}  # type: ignore[attr-defined]
    return detector.hub_findings  # type: ignore[attr-defined,no-any-return]


def _tags(target: Any) -> dict[str, str]:
    if not hasattr(target, "hub_tags"):
        target.hub_tags = {}
    return target.hub_tags  # type: ignore[no-any-return]


def _condition_values(condition: dict[str, Any]) -> list[str]:
    values = condition.get("eq") or condition.get("equals") or []
    return [str(v).lower() if str(v).lower() in ("true", "false") else str(v) for v in values]


def _page(items: list[str], max_results: Any, token: Any) -> dict[str, Any]:
    size = int(max_results or MAX_IDS)
    if size < 1 or size > MAX_IDS:
        raise BadRequestError(f"maxResults must be between 1 and {MAX_IDS}.")
    start = int(token) if token else 0
    page: dict[str, Any] = {"items": items[start:start + size]}
    page["nextToken"] = str(start + size) if start + size < len(items) else ""
    return page


class FindingOperations:
    """The operations, as methods of moto's GuardDutyResponse (mixed in by `install`)."""

    guardduty_backend: GuardDutyBackend
    path: str
    region: str
    current_account: str
    querystring: dict[str, list[str]]
    _get_param: Any

    def _detector_here(self) -> Detector:
        return self.guardduty_backend.get_detector(self.path.split("/")[2])

    def _finding_ids(self) -> list[str]:
        ids = self._get_param("findingIds") or []
        if not ids or len(ids) > MAX_IDS:
            raise BadRequestError(f"findingIds must hold 1 to {MAX_IDS} finding ids.")
        return [str(i) for i in ids]

    def archive_findings(self) -> str:
        """API_ArchiveFindings: the findings are archived (an administrator's detector covers its members')."""
        findings = _findings(self._detector_here())
        for finding_id in self._finding_ids():
            findings[finding_id] = True
        return "{}"

    def unarchive_findings(self) -> str:
        """API_UnarchiveFindings: the findings are active again."""
        findings = _findings(self._detector_here())
        for finding_id in self._finding_ids():
            findings[finding_id] = False
        return "{}"

    def list_findings(self) -> str:
        """API_ListFindings over the findings archived or unarchived here: `service.archived` and `id` criteria."""
        findings = _findings(self._detector_here())
        criterion = (self._get_param("findingCriteria") or {}).get("criterion") or {}
        ids = sorted(findings)
        for field, condition in criterion.items():
            wanted = _condition_values(condition or {})
            if field == "service.archived":
                ids = [i for i in ids if ("true" if findings[i] else "false") in wanted]
            elif field == "id":
                ids = [i for i in ids if i in wanted]
            else:
                raise BadRequestError(f"localaws answers ListFindings on service.archived and id only, not {field}.")
        page = _page(ids, self._get_param("maxResults"), self._get_param("nextToken"))
        return json.dumps({"findingIds": page["items"], "nextToken": page["nextToken"]})

    def create_filter(self) -> str:
        """API_CreateFilter: a name already taken and a full detector are BadRequestException; tags are kept."""
        detector = self._detector_here()
        name = self._get_param("name") or ""
        if not FILTER_NAME.match(name):
            raise BadRequestError("The request is rejected because the filter name is invalid: 3-64 of A-Za-z0-9_.-.")
        if name in detector.filters:
            raise BadRequestError(f"The request is rejected because a filter with the name {name} already exists.")
        if len(detector.filters) >= MAX_FILTERS:
            raise BadRequestError(f"The request is rejected because the detector has reached the limit of {MAX_FILTERS} filters.")
        if not (self._get_param("findingCriteria") or {}).get("criterion"):
            raise BadRequestError("The request is rejected because findingCriteria has no criterion.")
        action = self._get_param("action") or "NOOP"
        created = Filter(name, action, self._get_param("description") or "", self._get_param("findingCriteria"), self._get_param("rank") or len(detector.filters) + 1)
        _tags(created).update(self._get_param("tags") or {})
        detector.add_filter(created)
        return json.dumps({"name": name})

    def get_filter(self) -> str:
        """API_GetFilter: moto's answer, with the filter's tags (GetFilterResponse.tags), which moto leaves out."""
        detector_id = self.path.split("/")[-3]
        found = self.guardduty_backend.get_filter(detector_id, unquote(self.path.split("/")[-1]))
        return json.dumps({**found.to_json(), "tags": dict(_tags(found))})

    def list_filters(self) -> str:
        """API_ListFilters: the detector's filter names, MaxResults (1-50, query string) at a time with NextToken."""
        names = sorted(self._detector_here().filters)
        max_results = self._get_param("maxResults") or (self.querystring.get("maxResults") or [None])[0]
        token = self._get_param("nextToken") or (self.querystring.get("nextToken") or [None])[0]
        page = _page(names, max_results, token)
        return json.dumps({"filterNames": page["items"], "nextToken": page["nextToken"]})

    def _tagged(self) -> Any:
        arn = unquote(self.path.split("/tags/", 1)[1])
        match = GUARDDUTY_ARN.match(arn)
        if match is None:
            raise BadRequestError(f"The request is rejected because {arn} is not a GuardDuty detector or filter ARN.")
        region, account, detector_id, filter_name = match.groups()
        detector = guardduty_backends[account][region].get_detector(detector_id)
        return detector if filter_name is None else detector.get_filter(filter_name)

    def tag_resource(self) -> str:
        """API_TagResource: adds tags to a detector or a filter (204, no body)."""
        target = self._tagged()
        tags = self._get_param("tags") or {}
        if not tags:
            raise BadRequestError("The request is rejected because tags is empty.")
        (target.tags if isinstance(target, Detector) else _tags(target)).update(tags)
        return ""

    def list_tags_for_resource(self) -> str:
        """API_ListTagsForResource: the tags of a detector or a filter."""
        target = self._tagged()
        return json.dumps({"tags": dict(target.tags) if isinstance(target, Detector) else dict(_tags(target))})


#: URL paths (botocore's requestUri) that moto's GuardDuty url map lacks.
EXTRA_PATHS = (
    "{0}/detector/(?P<detector_id>[^/]+)/findings$",
    "{0}/detector/(?P<detector_id>[^/]+)/findings/(?P<findings_action>archive|unarchive)$",
    "{0}/tags/(?P<resource_arn>.+)$",
)


def install() -> None:
    """Adds the operations to GuardDutyResponse (replacing moto's CreateFilter) and their paths to the url map."""
    for name, member in vars(FindingOperations).items():
        if callable(member) and not name.startswith("__"):
            setattr(GuardDutyResponse, name, member)
    for path in EXTRA_PATHS:
        urls.url_paths.setdefault(path, GuardDutyResponse.dispatch)
