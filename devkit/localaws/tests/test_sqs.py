"""RedriveAllowPolicy read back, message move tasks, and event source mappings that moto does not drive."""

import json
import unittest

from botocore.exceptions import ClientError

from .support import LocalAwsTestCase

ACCOUNT = "720000000001"


class SqsTest(LocalAwsTestCase):
    def setUp(self) -> None:
        self.sqs = self.client("sqs", ACCOUNT)
        name = self.id().split(".")[-1][-40:]
        self.dlq = self.sqs.create_queue(QueueName=f"dlq-{name}")["QueueUrl"]
        self.dlq_arn = self.arn(self.dlq)
        redrive = json.dumps({"deadLetterTargetArn": self.dlq_arn, "maxReceiveCount": 5})
        self.queue = self.sqs.create_queue(QueueName=f"q-{name}", Attributes={"RedrivePolicy": redrive})["QueueUrl"]

    def arn(self, url: str) -> str:
        return self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]

    def test_redrive_allow_policy_is_returned_once_set(self) -> None:
        policy = json.dumps({"redrivePermission": "byQueue", "sourceQueueArns": [self.arn(self.queue)]})
        before = self.sqs.get_queue_attributes(QueueUrl=self.dlq, AttributeNames=["All"])["Attributes"]

        self.sqs.set_queue_attributes(QueueUrl=self.dlq, Attributes={"RedriveAllowPolicy": policy})

        self.assertNotIn("RedriveAllowPolicy", before)
        named = self.sqs.get_queue_attributes(QueueUrl=self.dlq, AttributeNames=["RedriveAllowPolicy"])["Attributes"]
        self.assertEqual(json.loads(named["RedriveAllowPolicy"]), json.loads(policy))

    def test_redrive_allow_policy_set_to_empty_is_removed(self) -> None:
        self.sqs.set_queue_attributes(QueueUrl=self.dlq, Attributes={"RedriveAllowPolicy": json.dumps({"redrivePermission": "allowAll"})})

        self.sqs.set_queue_attributes(QueueUrl=self.dlq, Attributes={"RedriveAllowPolicy": ""})

        self.assertNotIn("RedriveAllowPolicy", self.sqs.get_queue_attributes(QueueUrl=self.dlq, AttributeNames=["All"])["Attributes"])

    def test_redrive_policy_reads_back_as_compact_json_as_aws_writes_it(self) -> None:
        attributes = self.sqs.get_queue_attributes(QueueUrl=self.queue, AttributeNames=["RedrivePolicy"])["Attributes"]

        self.assertEqual(attributes["RedrivePolicy"], '{"deadLetterTargetArn":"%s","maxReceiveCount":5}' % self.dlq_arn)

    def test_a_move_task_puts_dead_letters_back_on_their_source_queue(self) -> None:
        for i in range(3):
            self.sqs.send_message(QueueUrl=self.dlq, MessageBody=f"m{i}", MessageAttributes={"reason": {"DataType": "String", "StringValue": "slack"}})

        handle = self.sqs.start_message_move_task(SourceArn=self.dlq_arn, MaxNumberOfMessagesPerSecond=10)["TaskHandle"]

        [task] = self.sqs.list_message_move_tasks(SourceArn=self.dlq_arn)["Results"]
        self.assertEqual((task["Status"], task["ApproximateNumberOfMessagesMoved"], task["ApproximateNumberOfMessagesToMove"]), ("COMPLETED", 3, 3))
        moved = self.sqs.receive_message(QueueUrl=self.queue, MaxNumberOfMessages=10, MessageAttributeNames=["All"])["Messages"]
        self.assertEqual(sorted(m["Body"] for m in moved), ["m0", "m1", "m2"])
        self.assertEqual(moved[0]["MessageAttributes"]["reason"]["StringValue"], "slack")
        with self.assertRaises(ClientError) as cancelled:
            self.sqs.cancel_message_move_task(TaskHandle=handle)
        self.assertTrue(cancelled.exception.response["Error"]["Code"].endswith("UnsupportedOperation"))

    def test_a_queue_that_is_no_dead_letter_queue_cannot_be_a_move_source(self) -> None:
        with self.assertRaises(ClientError) as refused:
            self.sqs.start_message_move_task(SourceArn=self.arn(self.queue))

        self.assertEqual(refused.exception.response["Error"]["Code"], "InvalidParameterValue")

    def test_event_source_mapping_is_stored_but_messages_stay_in_the_queue(self) -> None:
        iam = self.client("iam", ACCOUNT)
        role = iam.create_role(RoleName=f"r-{self.id()[-20:]}", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
        lam = self.client("lambda", ACCOUNT)
        fn = lam.create_function(FunctionName=f"f{self.id()[-20:]}", Runtime="nodejs22.x", Role=role, Handler="index.handler", Code={"ZipFile": b"PK\x05\x06" + b"\x00" * 18})
        mapping = lam.create_event_source_mapping(EventSourceArn=self.arn(self.queue), FunctionName=fn["FunctionArn"], BatchSize=10)

        self.sqs.send_message(QueueUrl=self.queue, MessageBody="finding")

        self.assertEqual(lam.get_event_source_mapping(UUID=mapping["UUID"])["BatchSize"], 10)
        attributes = self.sqs.get_queue_attributes(QueueUrl=self.queue, AttributeNames=["ApproximateNumberOfMessages"])["Attributes"]
        self.assertEqual(attributes["ApproximateNumberOfMessages"], "1")
        [message] = self.sqs.receive_message(QueueUrl=self.queue, AttributeNames=["ApproximateReceiveCount"])["Messages"]
        self.assertEqual(message["Attributes"]["ApproximateReceiveCount"], "1")


if __name__ == "__main__":
    unittest.main()
