"""Lambda event source mappings on SQS are stored, but moto does not deliver through them.

moto 5.2.5 runs a function only inside Docker; on every SendMessage to a queue with a mapping it
receives the messages and tries to invoke the function, which here fails, raising each message's
receive count and eventually moving findings to the DLQ. The hub's consumer is driven instead by
the project's poller, which polls as the Lambda SQS poller does
(https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html). So after CreateEventSourceMapping
(https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html) succeeds, the
mapping stays readable (Get/List/Update/Delete) and the queue forgets it.
"""

from __future__ import annotations

from typing import Any

from moto.awslambda.models import LambdaBackend
from moto.sqs.models import sqs_backends

_original = LambdaBackend.create_event_source_mapping


def _create_event_source_mapping(self: LambdaBackend, spec: dict[str, Any]) -> Any:
    esm = _original(self, spec)
    for queue in sqs_backends[self.account_id][self.region_name].queues.values():
        if queue.queue_arn == spec.get("EventSourceArn"):
            queue.lambda_event_source_mappings.pop(esm.function_arn, None)
    return esm


def install() -> None:
    """Replaces LambdaBackend.create_event_source_mapping with the detaching version."""
    LambdaBackend.create_event_source_mapping = _create_event_source_mapping  # type: ignore[method-assign]
