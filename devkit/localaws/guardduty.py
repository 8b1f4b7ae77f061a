"""GuardDuty members, invitations and organization settings, on moto's GuardDuty backend.

moto 5.2.5 serves detectors, filters and (here made idempotent) EnableOrganizationAdminAccount; the hub's region stacks also
manage `aws_guardduty_member` (invitation mode) and `aws_guardduty_organization_configuration`
(organization mode), the `org` stack destroys `aws_guardduty_organization_admin_account`, and
`guardduty-hub status` lists members. Each handler follows the GuardDuty API reference,
https://docs.aws.amazon.com/guardduty/latest/APIReference/API_<Operation>.html, with request and
response field names from botocore's GuardDuty model (the same model moto routes with).

State lives on moto's own objects: members on the administrator's `Detector` (`hub_members`),
invitations on the member account's backend in the same region (`hub_invitations`), organization
settings on the detector (`hub_org_config`).
"""

from __future__ import annotations

import json
import threading
from datetime import datetime, timezone
from typing import Any

from moto.core.exceptions import JsonRESTError
from moto.guardduty import urls
from moto.guardduty.models import Detector, GuardDutyBackend, guardduty_backends
from moto.guardduty.responses import GuardDutyResponse

#: Relationship statuses named in the API reference (Member.RelationshipStatus).
CREATED, INVITED, ENABLED, REMOVED = "Created", "Invited", "Enabled", "Removed"

#: Values of AutoEnableOrganizationMembers (API_UpdateOrganizationConfiguration).
AUTO_ENABLE_VALUES = ("NEW", "ALL", "NONE")


class BadRequestError(JsonRESTError):
    """GuardDuty's 400 BadRequestException (every operation's Errors section)."""

    code = 400

    def __init__(self, message: str) -> None:
        super().__init__("BadRequestException", message)


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _members(detector: Detector) -> dict[str, dict[str, Any]]:
    if not hasattr(detector, "hub_members"):
        detector.hub_members = {}  # type: ignore[attr-defined]
    return detector.hub_members  # type: ignore[attr-defined,no-any-return]


def _unprocessed(account_id: str, result: str) -> dict[str, str]:
    return {"accountId": account_id, "result": result}


def _detector_id(path: str) -> str:
    # /detector/{DetectorId}/member/... : the id is the third segment.
    return path.split("/")[2]


class MemberOperations:
    """The member operations, as methods of moto's GuardDutyResponse (mixed in by `install`)."""

    guardduty_backend: GuardDutyBackend
    path: str
    region: str
    current_account: str
    _get_param: Any

    def _detector(self) -> Detector:
        return self.guardduty_backend.get_detector(_detector_id(self.path))

    def create_members(self) -> str:
        """API_CreateMembers: adds accounts as members (status Created); existing ones are unprocessed."""
        members = _members(self._detector())
        unprocessed = []
        for detail in self._get_param("accountDetails") or []:
            account_id, email = detail.get("accountId"), detail.get("email")
            if account_id == self.current_account:
                unprocessed.append(_unprocessed(account_id, "The request is rejected because the given account ID is your own account ID."))
            elif account_id in members:
                unprocessed.append(_unprocessed(account_id, "The request is rejected because the given account ID is already a member."))
            else:
                members[account_id] = {
                    "accountId": account_id,
                    "masterId": self.current_account,
                    "administratorId": self.current_account,
                    "email": email,
                    "relationshipStatus": CREATED,
                    "updatedAt": _now(),
                }
        return json.dumps({"unprocessedAccounts": unprocessed})

    def invite_members(self) -> str:
        """API_InviteMembers: status Invited, and an invitation the member sees in ListInvitations."""
        detector = self._detector()
        members = _members(detector)
        unprocessed = []
        for account_id in self._get_param("accountIds") or []:
            member = members.get(account_id)
            if member is None:
                unprocessed.append(_unprocessed(account_id, "The request is rejected because the input account ID is not associated with the current account as a member."))
                continue
            member.update(relationshipStatus=INVITED, invitedAt=_now(), updatedAt=_now())
            invitations = _invitations(guardduty_backends[account_id][self.region])
            invitations[self.current_account] = {
                "accountId": self.current_account,
                "invitationId": f"{detector.id}-{account_id}",
                "relationshipStatus": INVITED,
                "invitedAt": member["invitedAt"],
            }
        return json.dumps({"unprocessedAccounts": unprocessed})

    def get_members(self) -> str:
        """API_GetMembers: the named members; unknown accounts are unprocessed."""
        members = _members(self._detector())
        found, unprocessed = [], []
        for account_id in self._get_param("accountIds") or []:
            if account_id in members:
                found.append(members[account_id])
            else:
                unprocessed.append(_unprocessed(account_id, "The request is rejected because the input account ID is not associated with the current account as a member."))
        return json.dumps({"members": found, "unprocessedAccounts": unprocessed})

    def list_members(self) -> str:
        """API_ListMembers: onlyAssociated (default true) leaves out members not invited or removed."""
        only_associated = str(self._get_param("onlyAssociated", "true")).lower() != "false"
        members = list(_members(self._detector()).values())
        if only_associated:
            members = [m for m in members if m["relationshipStatus"] not in (CREATED, REMOVED)]
        return json.dumps({"members": members})

    def disassociate_members(self) -> str:
        """API_DisassociateMembers: the relationship ends (status Removed); the member record stays."""
        members = _members(self._detector())
        unprocessed = []
        for account_id in self._get_param("accountIds") or []:
            if account_id in members:
                members[account_id].update(relationshipStatus=REMOVED, updatedAt=_now())
            else:
                unprocessed.append(_unprocessed(account_id, "The request is rejected because the input account ID is not associated with the current account as a member."))
        return json.dumps({"unprocessedAccounts": unprocessed})

    def delete_members(self) -> str:
        """API_DeleteMembers: removes the members (and their pending invitations)."""
        members = _members(self._detector())
        unprocessed = []
        for account_id in self._get_param("accountIds") or []:
            if members.pop(account_id, None) is None:
                unprocessed.append(_unprocessed(account_id, "The request is rejected because the input account ID is not associated with the current account as a member."))
            else:
                _invitations(guardduty_backends[account_id][self.region]).pop(self.current_account, None)
        return json.dumps({"unprocessedAccounts": unprocessed})

    def list_invitations(self) -> str:
        """API_ListInvitations: invitations this account received in this region."""
        return json.dumps({"invitations": list(_invitations(self.guardduty_backend).values())})

    def accept_administrator_invitation(self) -> str:
        """API_AcceptAdministratorInvitation: the member (with its own detector here) accepts; it is Enabled on the administrator's detector."""
        self._detector()
        administrator = self._get_param("administratorId")
        invitations = _invitations(self.guardduty_backend)
        invitation = invitations.get(administrator)
        if invitation is None or invitation["invitationId"] != self._get_param("invitationId"):
            raise BadRequestError(f"The request is rejected because no invitation {self._get_param('invitationId')} from {administrator} is pending.")
        for detector in guardduty_backends[administrator][self.region].detectors.values():
            member = _members(detector).get(self.current_account)
            if member is not None:
                member.update(relationshipStatus=ENABLED, updatedAt=_now())
        del invitations[administrator]
        return "{}"


def _invitations(backend: GuardDutyBackend) -> dict[str, dict[str, Any]]:
    if not hasattr(backend, "hub_invitations"):
        backend.hub_invitations = {}  # type: ignore[attr-defined]
    return backend.hub_invitations  # type: ignore[attr-defined,no-any-return]


def _is_delegated_admin(account_id: str, region: str) -> bool:
    """True when some (management) account enabled `account_id` as GuardDuty admin in `region`."""
    for management in list(guardduty_backends.keys()):
        backend = guardduty_backends[management].get(region)
        if backend is not None and account_id in backend.admin_account_ids:
            return True
    return False


#: moto's server answers requests on threads; designating and withdrawing are check-then-change.
_ADMIN_LOCK = threading.Lock()


class OrganizationOperations:
    """Organization settings, EnableOrganizationAdminAccount and DisableOrganizationAdminAccount, mixed into GuardDutyResponse."""

    guardduty_backend: GuardDutyBackend
    path: str
    region: str
    current_account: str
    _get_param: Any

    def enable_organization_admin_account(self) -> str:
        """API_EnableOrganizationAdminAccount: designates the account; designating it again changes nothing.

        An account is the delegated administrator in a region or it is not. moto appends the id on
        every call, so a request the SDK sent twice (its retry after a slow or broken answer) left
        the id listed twice, and after one DisableOrganizationAdminAccount the provider's destroy
        still saw the account ENABLED and failed.
        """
        admin = self._get_param("adminAccountId")
        with _ADMIN_LOCK:
            if admin not in self.guardduty_backend.admin_account_ids:
                self.guardduty_backend.admin_account_ids.append(admin)
        return "{}"

    def disable_organization_admin_account(self) -> str:
        """API_DisableOrganizationAdminAccount: the management account withdraws the designation."""
        admin = self._get_param("adminAccountId")
        with _ADMIN_LOCK:
            if admin not in self.guardduty_backend.admin_account_ids:
                raise BadRequestError(f"The request is rejected because {admin} is not the GuardDuty delegated administrator.")
            self.guardduty_backend.admin_account_ids.remove(admin)
        return "{}"

    def update_organization_configuration(self) -> str:
        """API_UpdateOrganizationConfiguration: only the delegated administrator may call it."""
        detector = self.guardduty_backend.get_detector(_detector_id(self.path))
        if not _is_delegated_admin(self.current_account, self.region):
            raise BadRequestError("The request is rejected because the current account is not the GuardDuty delegated administrator.")
        members = self._get_param("autoEnableOrganizationMembers")
        if members is not None and members not in AUTO_ENABLE_VALUES:
            raise BadRequestError(f"autoEnableOrganizationMembers must be one of {', '.join(AUTO_ENABLE_VALUES)}.")
        auto_enable = self._get_param("autoEnable")
        if members is None:
            members = "NEW" if auto_enable else "NONE"
        detector.hub_org_config = {  # type: ignore[attr-defined]
            "autoEnable": members != "NONE",
            "autoEnableOrganizationMembers": members,
            "memberAccountLimitReached": False,
        }
        return "{}"

    def describe_organization_configuration(self) -> str:
        """API_DescribeOrganizationConfiguration: what Update stored (NONE until then)."""
        detector = self.guardduty_backend.get_detector(_detector_id(self.path))
        if not _is_delegated_admin(self.current_account, self.region):
            raise BadRequestError("The request is rejected because the current account is not the GuardDuty delegated administrator.")
        default = {"autoEnable": False, "autoEnableOrganizationMembers": "NONE", "memberAccountLimitReached": False}
        return json.dumps(getattr(detector, "hub_org_config", default))


#: URL paths (botocore's requestUri) that moto's GuardDuty url map lacks.
EXTRA_PATHS = (
    "{0}/detector/(?P<detector_id>[^/]+)/member$",
    "{0}/detector/(?P<detector_id>[^/]+)/member/(?P<member_action>invite|get|delete|disassociate)$",
    "{0}/detector/(?P<detector_id>[^/]+)/admin$",
    "{0}/admin/disable$",
    "{0}/invitation$",
)


def install() -> None:
    """Adds the operations to GuardDutyResponse and their paths to moto's GuardDuty url map."""
    for mixin in (MemberOperations, OrganizationOperations):
        for name, member in vars(mixin).items():
            if callable(member) and not name.startswith("__"):
                setattr(GuardDutyResponse, name, member)
    for path in EXTRA_PATHS:
        urls.url_paths.setdefault(path, GuardDutyResponse.dispatch)
