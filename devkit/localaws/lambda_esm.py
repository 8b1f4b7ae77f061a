"""Lambda event source mappings on SQS are stored, but moto does not deliver through them.

moto 5.2.5 runs a function only inside Docker; on every SendMessage to a queue with a mapping it
receives the messages and tries to invoke the function, which here fails, raising each message's
receive count and eventually moving findings to the DLQ. The hub's consumer is driven instead by
the project's poller, which polls as the Lambda SQS poller does
(https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html). So after CreateEventSourceMapping
(https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html) succeeds, the
mapping stays readable (Get/List/Update/Delete) and the queue forgets it.

ListEventSourceMappings takes `FunctionName` as the function's name, ARN or partial ARN
(https://docs.aws.amazon.com/lambda/latest/api/API_ListEventSourceMappings.html). moto 5.2.5 compares it
with the text the mapping was created with, so a mapping Terraform created with the function's ARN was
not found by name (`guardduty-hub status` said "no event source mapping"). Here the name is resolved
to the function and mappings are matched on its ARN.
"""

from __future__ import annotations

from typing import Any

from moto.awslambda.models import LambdaBackend
from moto.sqs.models import sqs_backends

_original = LambdaBackend.create_event_source_mapping
_original_list = LambdaBackend.list_event_source_mappings


def _create_event_source_mapping(self: LambdaBackend, spec: dict[str, Any]) -> Any:
    esm = _original(self, spec)
    for queue in sqs_backends[self.account_id][self.region_name].queues.values():
        if queue.queue_arn == spec.get("EventSourceArn"):
            queue.lambda_event_source_mappings.pop(esm.function_arn, None)
    return esm


def _list_event_source_mappings(self: LambdaBackend, event_source_arn: str, function_name: str) -> list[Any]:
    esms = list(_original_list(self, event_source_arn, ""))
    if not function_name:
        return esms
    # Raises ResourceNotFoundException for a function that does not exist, as Lambda does.
    function_arn = self._lambdas.get_function_by_name_or_arn_with_qualifier(function_name).function_arn
    return [esm for esm in esms if esm.function_arn.split(":")[:7] == function_arn.split(":")[:7]]


def install() -> None:
    """Replaces LambdaBackend's create (detaching) and list (by name or ARN) of event source mappings."""
    LambdaBackend.create_event_source_mapping = _create_event_source_mapping  # type: ignore[method-assign]
    LambdaBackend.list_event_source_mappings = _list_event_source_mappings  # type: ignore[method-assign]
