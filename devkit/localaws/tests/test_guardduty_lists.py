"""IP sets, threat intel sets, threat entity sets and trusted entity sets, called through boto3 (botocore's GuardDuty model)."""

import unittest

from botocore.exceptions import ClientError

from .support import LocalAwsTestCase

ACCOUNT = "740000000001"


class ListsTest(LocalAwsTestCase):
    def setUp(self) -> None:
        self.gd = self.client("guardduty", ACCOUNT, "eu-west-1")
        self.detector = self.gd.create_detector(Enable=True)["DetectorId"]

    def tearDown(self) -> None:
        self.gd.delete_detector(DetectorId=self.detector)

    def test_an_ip_set_is_created_listed_read_deactivated_and_deleted(self) -> None:
        ip_set = self.gd.create_ip_set(DetectorId=self.detector, Name="office", Format="TXT", Location="s3://lists/office.txt", Activate=True, Tags={"team": "net"})["IpSetId"]

        self.assertEqual(self.gd.list_ip_sets(DetectorId=self.detector)["IpSetIds"], [ip_set])
        got = self.gd.get_ip_set(DetectorId=self.detector, IpSetId=ip_set)
        self.assertEqual((got["Name"], got["Format"], got["Location"], got["Status"], got["Tags"]), ("office", "TXT", "s3://lists/office.txt", "ACTIVE", {"team": "net"}))

        self.gd.update_ip_set(DetectorId=self.detector, IpSetId=ip_set, Activate=False)
        self.assertEqual(self.gd.get_ip_set(DetectorId=self.detector, IpSetId=ip_set)["Status"], "INACTIVE")

        self.gd.delete_ip_set(DetectorId=self.detector, IpSetId=ip_set)
        self.assertEqual(self.gd.list_ip_sets(DetectorId=self.detector)["IpSetIds"], [])

    def test_each_kind_keeps_its_own_sets(self) -> None:
        intel = self.gd.create_threat_intel_set(DetectorId=self.detector, Name="bad-ips", Format="STIX", Location="s3://lists/bad.stix", Activate=True)["ThreatIntelSetId"]
        threat = self.gd.create_threat_entity_set(DetectorId=self.detector, Name="bad-domains", Format="TXT", Location="s3://lists/bad.txt", Activate=False)["ThreatEntitySetId"]
        trusted = self.gd.create_trusted_entity_set(DetectorId=self.detector, Name="partners", Format="TXT", Location="s3://lists/partners.txt", Activate=True)["TrustedEntitySetId"]

        self.assertEqual(self.gd.list_threat_intel_sets(DetectorId=self.detector)["ThreatIntelSetIds"], [intel])
        self.assertEqual(self.gd.list_threat_entity_sets(DetectorId=self.detector)["ThreatEntitySetIds"], [threat])
        self.assertEqual(self.gd.list_trusted_entity_sets(DetectorId=self.detector)["TrustedEntitySetIds"], [trusted])
        self.assertEqual(self.gd.list_ip_sets(DetectorId=self.detector)["IpSetIds"], [])
        self.assertEqual(self.gd.get_threat_entity_set(DetectorId=self.detector, ThreatEntitySetId=threat)["Status"], "INACTIVE")
        self.assertEqual(self.gd.get_trusted_entity_set(DetectorId=self.detector, TrustedEntitySetId=trusted)["Name"], "partners")

    def test_the_quota_of_one_trusted_ip_set_and_an_unknown_id_are_bad_requests(self) -> None:
        self.gd.create_ip_set(DetectorId=self.detector, Name="one", Format="TXT", Location="s3://lists/one.txt", Activate=False)

        with self.assertRaises(ClientError) as second:
            self.gd.create_ip_set(DetectorId=self.detector, Name="two", Format="TXT", Location="s3://lists/two.txt", Activate=False)
        with self.assertRaises(ClientError) as unknown:
            self.gd.get_threat_intel_set(DetectorId=self.detector, ThreatIntelSetId="nope")

        self.assertEqual(second.exception.response["Error"]["Code"], "BadRequestException")
        self.assertEqual(unknown.exception.response["Error"]["Code"], "BadRequestException")


if __name__ == "__main__":
    unittest.main()
