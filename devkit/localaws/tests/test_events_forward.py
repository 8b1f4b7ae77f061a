"""An event forwarded to an event bus in another Region keeps its account, Region, time and resources."""

import json
import unittest

from .support import LocalAwsTestCase

ACCOUNT = "720000000002"


class EventsForwardTest(LocalAwsTestCase):
    def test_a_bus_target_receives_the_event_as_it_was(self) -> None:
        # Arrange: us-east-1's default bus → a bus in us-west-2 → an SQS queue there
        west = self.client("events", ACCOUNT, region="us-west-2")
        bus_arn = west.create_event_bus(Name="hub")["EventBusArn"]
        sqs = self.client("sqs", ACCOUNT, region="us-west-2")
        queue = sqs.create_queue(QueueName="forwarded")["QueueUrl"]
        queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        pattern = json.dumps({"source": ["aws.guardduty"]})
        west.put_rule(Name="to-queue", EventBusName="hub", EventPattern=pattern)
        west.put_targets(Rule="to-queue", EventBusName="hub", Targets=[{"Id": "q", "Arn": queue_arn}])
        east = self.client("events", ACCOUNT, region="us-east-1")
        east.put_rule(Name="forward", EventPattern=pattern)
        east.put_targets(Rule="forward", Targets=[{"Id": "bus", "Arn": bus_arn}])
        plan = f"arn:aws:guardduty:us-east-1:{ACCOUNT}:malware-protection-plan/plan1"

        # Act
        east.put_events(
            Entries=[
                {
                    "Source": "aws.guardduty",
                    "DetailType": "GuardDuty Malware Protection Resource Status Error",
                    "Detail": json.dumps({"resourceStatus": "ERROR"}),
                    "Resources": [plan],
                }
            ]
        )

        # Assert
        messages = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10).get("Messages", [])
        self.assertEqual(len(messages), 1)
        event = json.loads(messages[0]["Body"])
        self.assertEqual(event["account"], ACCOUNT)
        self.assertEqual(event["region"], "us-east-1")
        self.assertEqual(event["resources"], [plan])
        self.assertEqual(event["detail"], {"resourceStatus": "ERROR"})

    def test_a_disabled_rule_delivers_nothing_until_enabled_again(self) -> None:
        # Arrange: a rule on the default bus → an SQS queue, then disabled
        events = self.client("events", ACCOUNT, region="eu-west-1")
        sqs = self.client("sqs", ACCOUNT, region="eu-west-1")
        queue = sqs.create_queue(QueueName="disabled-rule")["QueueUrl"]
        queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        events.put_rule(Name="forward", EventPattern=json.dumps({"source": ["aws.guardduty"]}))
        events.put_targets(Rule="forward", Targets=[{"Id": "q", "Arn": queue_arn}])
        entry = {"Source": "aws.guardduty", "DetailType": "GuardDuty Finding", "Detail": "{}"}
        events.disable_rule(Name="forward")

        # Act
        events.put_events(Entries=[entry])
        while_disabled = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10).get("Messages", [])
        events.enable_rule(Name="forward")
        events.put_events(Entries=[entry])
        once_enabled = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10).get("Messages", [])

        # Assert
        self.assertEqual(while_disabled, [])
        self.assertEqual(len(once_enabled), 1)


if __name__ == "__main__":
    unittest.main()
