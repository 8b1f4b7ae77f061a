"""Custom Detection Rule associations, called through boto3 (botocore's GuardDuty model)."""

import unittest
from datetime import timedelta

from botocore.exceptions import ClientError

from .support import LocalAwsTestCase

ACCOUNT = "750000000001"
OTHER = "750000000002"


class DetectionRuleAssociationsTest(LocalAwsTestCase):
    def setUp(self) -> None:
        self.gd = self.client("guardduty", ACCOUNT, "eu-west-1")

    def tearDown(self) -> None:
        for association in self.gd.list_custom_detection_rule_associations()["RuleAssociations"]:
            self.gd.delete_custom_detection_rule_association(RuleId=association["RuleId"], AssociationId=association["AssociationId"])

    def test_a_dry_run_association_is_created_read_listed_switched_to_live_and_deleted(self) -> None:
        created = self.gd.create_custom_detection_rule_association(RuleId="ami-shared-publicly", Mode="DRY_RUN", Tags={"team": "sec"})["RuleAssociation"]
        rule, association = created["RuleId"], created["AssociationId"]

        got = self.gd.get_custom_detection_rule_association(RuleId=rule, AssociationId=association)
        self.assertEqual((got["RuleAssociation"]["Mode"], got["RuleAssociation"]["AccountId"], got["Tags"]), ("DRY_RUN", ACCOUNT, {"team": "sec"}))
        self.assertEqual(created["ExpiresAt"] - created["CreatedAt"], timedelta(days=14))
        self.assertTrue(created["Arn"].startswith(f"arn:aws:guardduty:eu-west-1:{ACCOUNT}:"))
        listed = self.gd.list_custom_detection_rule_associations()["RuleAssociations"]
        self.assertEqual([(a["RuleId"], a["AssociationId"], a["Mode"]) for a in listed], [(rule, association, "DRY_RUN")])
        self.assertNotIn("AccountId", listed[0])

        self.gd.update_custom_detection_rule_association(RuleId=rule, AssociationId=association, Mode="LIVE")
        live = self.gd.get_custom_detection_rule_association(RuleId=rule, AssociationId=association)["RuleAssociation"]
        self.assertEqual(live["Mode"], "LIVE")
        self.assertNotIn("ExpiresAt", live)

        self.gd.delete_custom_detection_rule_association(RuleId=rule, AssociationId=association)
        self.gd.delete_custom_detection_rule_association(RuleId=rule, AssociationId=association)
        self.assertEqual(self.gd.list_custom_detection_rule_associations()["RuleAssociations"], [])

    def test_the_list_filters_by_mode_and_rule_pages_and_keeps_accounts_and_regions_apart(self) -> None:
        for rule, mode in (("rule-a", "LIVE"), ("rule-b", "DRY_RUN"), ("rule-c", "DRY_RUN")):
            self.gd.create_custom_detection_rule_association(RuleId=rule, Mode=mode)

        dry = self.gd.list_custom_detection_rule_associations(Mode="DRY_RUN")["RuleAssociations"]
        one = self.gd.list_custom_detection_rule_associations(RuleId="rule-a")["RuleAssociations"]
        first = self.gd.list_custom_detection_rule_associations(MaxResults=2)
        rest = self.gd.list_custom_detection_rule_associations(MaxResults=2, NextToken=first["NextToken"])

        self.assertEqual([a["RuleId"] for a in dry], ["rule-b", "rule-c"])
        self.assertEqual([a["Mode"] for a in one], ["LIVE"])
        self.assertEqual([a["RuleId"] for a in first["RuleAssociations"] + rest["RuleAssociations"]], ["rule-a", "rule-b", "rule-c"])
        self.assertNotIn("NextToken", rest)
        self.assertEqual(self.client("guardduty", OTHER, "eu-west-1").list_custom_detection_rule_associations()["RuleAssociations"], [])
        self.assertEqual(self.client("guardduty", ACCOUNT, "us-east-1").list_custom_detection_rule_associations()["RuleAssociations"], [])

    def test_a_second_association_of_a_rule_conflicts_and_an_unknown_one_is_not_found(self) -> None:
        self.gd.create_custom_detection_rule_association(RuleId="rule-a", Mode="LIVE")

        with self.assertRaises(ClientError) as second:
            self.gd.create_custom_detection_rule_association(RuleId="rule-a", Mode="DRY_RUN")
        with self.assertRaises(ClientError) as unknown:
            self.gd.update_custom_detection_rule_association(RuleId="rule-a", AssociationId="nope", Mode="LIVE")
        with self.assertRaises(ClientError) as bad_rule:
            self.gd.create_custom_detection_rule_association(RuleId="Not_A_Rule", Mode="LIVE")

        self.assertEqual(second.exception.response["Error"]["Code"], "ConflictException")
        self.assertEqual(unknown.exception.response["Error"]["Code"], "ResourceNotFoundException")
        self.assertEqual(bad_rule.exception.response["Error"]["Code"], "BadRequestException")


if __name__ == "__main__":
    unittest.main()
