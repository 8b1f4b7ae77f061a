"""Archiving, ListFindings, CreateFilter, ListFilters and tags, called through boto3 (botocore's GuardDuty model)."""

import unittest

from botocore.exceptions import ClientError

from .support import LocalAwsTestCase

ADMIN, MEMBER = "720000000001", "720000000002"
FINDING_A, FINDING_B = "a" * 32, "b" * 32
CRITERIA = {"Criterion": {"type": {"Equals": ["Recon:EC2/PortProbeUnprotectedPort"]}, "accountId": {"Equals": [MEMBER]}}}


class DetectorTestCase(LocalAwsTestCase):
    """Each test gets a fresh detector of ADMIN in `region`."""

    region = "us-east-1"

    def setUp(self) -> None:
        self.gd = self.client("guardduty", ADMIN, self.region)
        self.detector = self.gd.create_detector(Enable=True)["DetectorId"]

    def tearDown(self) -> None:
        self.gd.delete_detector(DetectorId=self.detector)


class ArchiveTest(DetectorTestCase):
    region = "eu-north-1"

    def archived(self, value: str) -> list[str]:
        return self.gd.list_findings(DetectorId=self.detector, FindingCriteria={"Criterion": {"service.archived": {"Eq": [value]}}})["FindingIds"]

    def test_archived_findings_are_listed_as_archived_until_unarchived(self) -> None:
        self.gd.archive_findings(DetectorId=self.detector, FindingIds=[FINDING_A, FINDING_B])
        self.assertEqual(self.archived("true"), [FINDING_A, FINDING_B])

        self.gd.unarchive_findings(DetectorId=self.detector, FindingIds=[FINDING_A])

        self.assertEqual(self.archived("true"), [FINDING_B])
        self.assertEqual(self.archived("false"), [FINDING_A])

    def test_archiving_nothing_or_an_unknown_detector_is_a_bad_request(self) -> None:
        with self.assertRaises(ClientError) as empty:
            self.gd.archive_findings(DetectorId=self.detector, FindingIds=[])
        with self.assertRaises(ClientError) as unknown:
            self.gd.archive_findings(DetectorId="0" * 32, FindingIds=[FINDING_A])
        self.assertEqual(empty.exception.response["Error"]["Code"], "BadRequestException")
        self.assertIn(unknown.exception.response["Error"]["Code"], ("BadRequestException", "InvalidInputException"))


class FilterTest(DetectorTestCase):
    region = "us-west-1"

    def test_a_filter_keeps_its_tags_and_a_second_create_of_the_name_is_refused(self) -> None:
        self.gd.create_filter(DetectorId=self.detector, Name="gdh-slack-0123", Action="ARCHIVE", FindingCriteria=CRITERIA, Tags={"guardduty-hub:made-by": "slack"})
        arn = f"arn:aws:guardduty:us-west-1:{ADMIN}:detector/{self.detector}/filter/gdh-slack-0123"

        with self.assertRaises(ClientError) as again:
            self.gd.create_filter(DetectorId=self.detector, Name="gdh-slack-0123", Action="ARCHIVE", FindingCriteria=CRITERIA)
        self.gd.tag_resource(ResourceArn=arn, Tags={"guardduty-hub:slack-user": "U0ALICE01"})

        self.assertEqual(again.exception.response["Error"]["Code"], "BadRequestException")
        self.assertIn("already exists", again.exception.response["Error"]["Message"])
        self.assertEqual(self.gd.list_tags_for_resource(ResourceArn=arn)["Tags"], {"guardduty-hub:made-by": "slack", "guardduty-hub:slack-user": "U0ALICE01"})
        got = self.gd.get_filter(DetectorId=self.detector, FilterName="gdh-slack-0123")
        self.assertEqual(got["Action"], "ARCHIVE")
        self.assertEqual(got["Tags"], {"guardduty-hub:made-by": "slack", "guardduty-hub:slack-user": "U0ALICE01"})

    def test_list_filters_pages_with_max_results_and_next_token(self) -> None:
        names = [f"filter-{i:03d}" for i in range(7)]
        for name in names:
            self.gd.create_filter(DetectorId=self.detector, Name=name, Action="ARCHIVE", FindingCriteria=CRITERIA)

        pages, token = [], ""
        while True:
            page = self.gd.list_filters(DetectorId=self.detector, MaxResults=3, **({"NextToken": token} if token else {}))
            pages.append(page["FilterNames"])
            token = page.get("NextToken", "")
            if not token:
                break

        self.assertEqual(pages, [names[0:3], names[3:6], names[6:7]])
        self.assertEqual(self.gd.list_filters(DetectorId=self.detector)["FilterNames"], names)

    def test_the_hundred_and_first_filter_is_refused_with_the_limit_named(self) -> None:
        for i in range(100):
            self.gd.create_filter(DetectorId=self.detector, Name=f"f-{i:03d}", Action="ARCHIVE", FindingCriteria=CRITERIA)

        with self.assertRaises(ClientError) as full:
            self.gd.create_filter(DetectorId=self.detector, Name="one-too-many", Action="ARCHIVE", FindingCriteria=CRITERIA)

        self.assertEqual(full.exception.response["Error"]["Code"], "BadRequestException")
        self.assertIn("limit", full.exception.response["Error"]["Message"])


if __name__ == "__main__":
    unittest.main()
