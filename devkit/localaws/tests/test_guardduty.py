"""The GuardDuty member and organization handlers, called through boto3 (botocore's GuardDuty model)."""

import unittest

from botocore.exceptions import ClientError

from .support import LocalAwsTestCase

ADMIN, MEMBER, OTHER, MANAGEMENT = "710000000001", "710000000002", "710000000003", "710000000009"


class MembersTest(LocalAwsTestCase):
    def setUp(self) -> None:
        self.admin = self.client("guardduty", ADMIN)
        self.detector = self.admin.create_detector(Enable=True)["DetectorId"]

    def tearDown(self) -> None:
        self.admin.delete_detector(DetectorId=self.detector)

    def test_created_member_is_invited_and_the_member_sees_the_invitation(self) -> None:
        created = self.admin.create_members(DetectorId=self.detector, AccountDetails=[{"AccountId": MEMBER, "Email": "m@example.com"}])
        self.assertEqual(created["UnprocessedAccounts"], [])
        self.assertEqual(self.admin.get_members(DetectorId=self.detector, AccountIds=[MEMBER])["Members"][0]["RelationshipStatus"], "Created")

        invited = self.admin.invite_members(DetectorId=self.detector, AccountIds=[MEMBER], Message="hi")

        self.assertEqual(invited["UnprocessedAccounts"], [])
        member = self.admin.get_members(DetectorId=self.detector, AccountIds=[MEMBER])["Members"][0]
        self.assertEqual((member["AccountId"], member["MasterId"], member["Email"], member["RelationshipStatus"]), (MEMBER, ADMIN, "m@example.com", "Invited"))
        invitations = self.client("guardduty", MEMBER).list_invitations()["Invitations"]
        self.assertIn(ADMIN, [i["AccountId"] for i in invitations])

    def test_unknown_accounts_are_unprocessed_not_errors(self) -> None:
        got = self.admin.get_members(DetectorId=self.detector, AccountIds=[OTHER])
        invited = self.admin.invite_members(DetectorId=self.detector, AccountIds=[OTHER])
        deleted = self.admin.delete_members(DetectorId=self.detector, AccountIds=[OTHER])

        self.assertEqual(got["Members"], [])
        for answer in (got, invited, deleted):
            self.assertEqual([u["AccountId"] for u in answer["UnprocessedAccounts"]], [OTHER])

    def test_a_second_create_of_the_same_member_is_unprocessed(self) -> None:
        details = [{"AccountId": MEMBER, "Email": "m@example.com"}]
        self.admin.create_members(DetectorId=self.detector, AccountDetails=details)

        again = self.admin.create_members(DetectorId=self.detector, AccountDetails=details)

        self.assertEqual([u["AccountId"] for u in again["UnprocessedAccounts"]], [MEMBER])

    def test_list_members_leaves_out_uninvited_ones_unless_asked(self) -> None:
        self.admin.create_members(DetectorId=self.detector, AccountDetails=[{"AccountId": MEMBER, "Email": "m@example.com"}, {"AccountId": OTHER, "Email": "o@example.com"}])
        self.admin.invite_members(DetectorId=self.detector, AccountIds=[MEMBER])

        associated = self.admin.list_members(DetectorId=self.detector)["Members"]
        everyone = self.admin.list_members(DetectorId=self.detector, OnlyAssociated="false")["Members"]

        self.assertEqual([m["AccountId"] for m in associated], [MEMBER])
        self.assertEqual(sorted(m["AccountId"] for m in everyone), [MEMBER, OTHER])

    def test_disassociate_then_delete_ends_the_membership(self) -> None:
        self.admin.create_members(DetectorId=self.detector, AccountDetails=[{"AccountId": MEMBER, "Email": "m@example.com"}])
        self.admin.invite_members(DetectorId=self.detector, AccountIds=[MEMBER])

        self.admin.disassociate_members(DetectorId=self.detector, AccountIds=[MEMBER])
        status = self.admin.get_members(DetectorId=self.detector, AccountIds=[MEMBER])["Members"][0]["RelationshipStatus"]
        self.admin.delete_members(DetectorId=self.detector, AccountIds=[MEMBER])

        self.assertEqual(status, "Removed")
        self.assertEqual(self.admin.get_members(DetectorId=self.detector, AccountIds=[MEMBER])["Members"], [])
        self.assertEqual(self.client("guardduty", MEMBER).list_invitations()["Invitations"], [])

    def test_the_member_accepts_the_invitation_and_is_enabled(self) -> None:
        self.admin.create_members(DetectorId=self.detector, AccountDetails=[{"AccountId": MEMBER, "Email": "m@example.com"}])
        self.admin.invite_members(DetectorId=self.detector, AccountIds=[MEMBER])
        member = self.client("guardduty", MEMBER)
        own = member.create_detector(Enable=True)["DetectorId"]
        [invitation] = member.list_invitations()["Invitations"]

        member.accept_administrator_invitation(DetectorId=own, AdministratorId=ADMIN, InvitationId=invitation["InvitationId"])

        self.assertEqual(self.admin.get_members(DetectorId=self.detector, AccountIds=[MEMBER])["Members"][0]["RelationshipStatus"], "Enabled")
        self.assertEqual(member.list_invitations()["Invitations"], [])
        member.delete_detector(DetectorId=own)

    def test_an_invitation_that_is_not_pending_cannot_be_accepted(self) -> None:
        member = self.client("guardduty", MEMBER)
        own = member.create_detector(Enable=True)["DetectorId"]

        with self.assertRaises(ClientError) as refused:
            member.accept_administrator_invitation(DetectorId=own, AdministratorId=ADMIN, InvitationId="nope")

        self.assertEqual(refused.exception.response["Error"]["Code"], "BadRequestException")
        member.delete_detector(DetectorId=own)


class OrganizationTest(LocalAwsTestCase):
    def test_only_the_delegated_administrator_configures_the_organization(self) -> None:
        management = self.client("guardduty", MANAGEMENT, "eu-north-1")
        admin = self.client("guardduty", ADMIN, "eu-north-1")
        detector = admin.create_detector(Enable=True)["DetectorId"]
        with self.assertRaises(ClientError) as refused:
            admin.update_organization_configuration(DetectorId=detector, AutoEnableOrganizationMembers="ALL")
        self.assertEqual(refused.exception.response["Error"]["Code"], "BadRequestException")

        management.enable_organization_admin_account(AdminAccountId=ADMIN)
        admin.update_organization_configuration(DetectorId=detector, AutoEnableOrganizationMembers="ALL")

        described = admin.describe_organization_configuration(DetectorId=detector)
        self.assertEqual((described["AutoEnableOrganizationMembers"], described["AutoEnable"], described["MemberAccountLimitReached"]), ("ALL", True, False))

    def test_disable_organization_admin_account_withdraws_the_designation(self) -> None:
        management = self.client("guardduty", MANAGEMENT, "us-west-1")
        management.enable_organization_admin_account(AdminAccountId=ADMIN)

        management.disable_organization_admin_account(AdminAccountId=ADMIN)

        self.assertEqual(management.list_organization_admin_accounts()["AdminAccounts"], [])
        with self.assertRaises(ClientError) as again:
            management.disable_organization_admin_account(AdminAccountId=ADMIN)
        self.assertEqual(again.exception.response["Error"]["Code"], "BadRequestException")

    def test_designating_the_administrator_again_changes_nothing(self) -> None:
        management = self.client("guardduty", MANAGEMENT, "us-west-2")
        management.enable_organization_admin_account(AdminAccountId=ADMIN)
        management.enable_organization_admin_account(AdminAccountId=ADMIN)

        self.assertEqual([a["AdminAccountId"] for a in management.list_organization_admin_accounts()["AdminAccounts"]], [ADMIN])
        management.disable_organization_admin_account(AdminAccountId=ADMIN)
        self.assertEqual(management.list_organization_admin_accounts()["AdminAccounts"], [])


if __name__ == "__main__":
    unittest.main()
