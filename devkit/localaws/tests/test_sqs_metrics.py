"""SQS counts every message added to a queue in CloudWatch's AWS/SQS NumberOfMessagesSent."""

import unittest
from datetime import datetime, timedelta, timezone

from .support import LocalAwsTestCase

ACCOUNT = "750000000001"


class NumberOfMessagesSentTest(LocalAwsTestCase):
    def test_each_message_sent_or_batched_counts_once_for_its_queue(self) -> None:
        sqs = self.client("sqs", ACCOUNT)
        queue = sqs.create_queue(QueueName="counted")["QueueUrl"]
        other = sqs.create_queue(QueueName="other")["QueueUrl"]
        start = datetime.now(timezone.utc) - timedelta(minutes=1)

        sqs.send_message(QueueUrl=queue, MessageBody="one")
        sqs.send_message_batch(QueueUrl=queue, Entries=[{"Id": "a", "MessageBody": "two"}, {"Id": "b", "MessageBody": "three"}])
        sqs.send_message(QueueUrl=other, MessageBody="elsewhere")

        cloudwatch = self.client("cloudwatch", ACCOUNT)
        points = cloudwatch.get_metric_statistics(
            Namespace="AWS/SQS", MetricName="NumberOfMessagesSent", Dimensions=[{"Name": "QueueName", "Value": "counted"}],
            StartTime=start, EndTime=start + timedelta(minutes=3), Period=60, Statistics=["Sum"],
        )["Datapoints"]
        self.assertEqual(sum(p["Sum"] for p in points), 3)


if __name__ == "__main__":
    unittest.main()
