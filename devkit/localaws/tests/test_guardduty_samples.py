"""CreateSampleFindings: the sample travels the account's default bus, as GuardDuty publishes findings."""

import json
import unittest

from .support import LocalAwsTestCase

ACCOUNT = "730000000001"


class SampleFindingsTest(LocalAwsTestCase):
    def test_a_sample_finding_reaches_a_rule_on_the_default_bus_marked_as_a_sample(self) -> None:
        guardduty = self.client("guardduty", ACCOUNT)
        detector = guardduty.create_detector(Enable=True)["DetectorId"]
        sqs = self.client("sqs", ACCOUNT)
        queue = sqs.create_queue(QueueName="samples")["QueueUrl"]
        queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        events = self.client("events", ACCOUNT)
        events.put_rule(Name="findings", EventPattern=json.dumps({"source": ["aws.guardduty"], "detail-type": ["GuardDuty Finding"], "detail": {"severity": [{"numeric": [">=", 7]}]}}))
        events.put_targets(Rule="findings", Targets=[{"Id": "q", "Arn": queue_arn}])

        guardduty.create_sample_findings(DetectorId=detector, FindingTypes=["Backdoor:EC2/DenialOfService.Tcp"])

        [message] = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10)["Messages"]
        event = json.loads(message["Body"])
        detail = event["detail"]
        self.assertEqual((event["source"], event["detail-type"], event["region"], detail["accountId"]), ("aws.guardduty", "GuardDuty Finding", "us-east-1", ACCOUNT))
        self.assertEqual((detail["type"], detail["severity"], detail["service"]["additionalInfo"]), ("Backdoor:EC2/DenialOfService.Tcp", 8.0, {"sample": True}))
        listed = guardduty.list_findings(DetectorId=detector, FindingCriteria={"Criterion": {"service.archived": {"Equals": ["false"]}}})["FindingIds"]
        self.assertIn(detail["id"], listed)


if __name__ == "__main__":
    unittest.main()
