"""SQS's `NumberOfMessagesSent` CloudWatch metric, which moto does not record.

SQS publishes `NumberOfMessagesSent` in the `AWS/SQS` namespace, dimension `QueueName`, one count per
message added to a queue (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-available-cloudwatch-metrics.html).
moto 5.2.5 derives only the `ApproximateNumberOf…` gauges from its queues, so `guardduty-hub smoke`,
which watches the hub queue's `NumberOfMessagesSent` for the sample finding, never saw it arrive.
Every message moto adds (SendMessage, SendMessageBatch, an EventBridge SQS target) now records one
datum of value 1 in the queue's account and region. Deliberate simplification: messages a move task
puts back are counted too (AWS counts redriven messages as sent as well, but only for manual redrives).
"""

from __future__ import annotations

from typing import Any

from moto.cloudwatch.models import MetricDatum, cloudwatch_backends
from moto.sqs.models import SQSBackend

_original = SQSBackend.send_message


def _send_message(self: SQSBackend, queue_name: str, *args: Any, **kwargs: Any) -> Any:
    message = _original(self, queue_name, *args, **kwargs)
    datum = MetricDatum(
        namespace="AWS/SQS",
        name="NumberOfMessagesSent",
        value=1.0,
        dimensions=[{"Name": "QueueName", "Value": self.get_queue(queue_name).name}],
        timestamp=None,
        unit="Count",
    )
    cloudwatch_backends[self.account_id][self.region_name].metric_data.append(datum)
    return message


def install() -> None:
    """Replaces SQSBackend.send_message with the counting version (SendMessageBatch goes through it)."""
    SQSBackend.send_message = _send_message  # type: ignore[method-assign]
