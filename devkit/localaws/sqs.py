"""SQS additions on moto's SQS backend: RedriveAllowPolicy read back, RedrivePolicy as AWS writes
it, and message move tasks.

- GetQueueAttributes returns `RedriveAllowPolicy` (API_GetQueueAttributes, "RedriveAllowPolicy").
  moto 5.2.5 stores it on SetQueueAttributes but never returns it, so Terraform's
  `aws_sqs_queue_redrive_allow_policy` waits forever for it to appear. Set to "" (as Terraform's
  destroy does), it is removed and left out again.
- GetQueueAttributes returns `RedrivePolicy` as compact JSON, as AWS does (the API reference's
  example: `{"deadLetterTargetArn":"arn:…","maxReceiveCount":1000}`); moto 5.2.5 adds spaces, which
  the AWS provider reports as a change on every plan.
- StartMessageMoveTask, ListMessageMoveTasks, CancelMessageMoveTask
  (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_StartMessageMoveTask.html
  and its siblings): the source must be a dead-letter queue of some queue; without `DestinationArn`
  messages go back to the queue whose redrive policy names the source. Deliberate simplification: the
  task moves every visible message at once and is COMPLETED when Start returns (AWS moves at
  `MaxNumberOfMessagesPerSecond` and reports RUNNING meanwhile); messages keep body and attributes.
"""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

from moto.core.responses import ActionResult
from moto.sqs.exceptions import SQSException
from moto.sqs.models import Queue, SQSBackend, sqs_backends
from moto.sqs.responses import SQSResponse

#: ListMessageMoveTasks: MaxResults default 1, at most 10 (API reference).
LIST_DEFAULT, LIST_MAX = 1, 10


def _queue_by_arn(arn: str | None) -> tuple[SQSBackend, Queue]:
    parts = (arn or "").split(":")
    if len(parts) != 6 or parts[2] != "sqs":
        raise SQSException("InvalidParameterValue", f"{arn!r} is not an SQS queue ARN.")
    _, _, _, region, account, name = parts
    backend = sqs_backends[account][region]
    queue = backend.queues.get(name)
    if queue is None:
        raise SQSException("ResourceNotFoundException", f"The resource that you specified for the SourceArn parameter doesn't exist: {arn}")
    return backend, queue


def _tasks(queue: Queue) -> list[dict[str, Any]]:
    if not hasattr(queue, "hub_move_tasks"):
        queue.hub_move_tasks = []  # type: ignore[attr-defined]
    return queue.hub_move_tasks  # type: ignore[attr-defined,no-any-return]


def _redrive_sources(backend: SQSBackend, dlq: Queue) -> list[Queue]:
    return [q for q in backend.queues.values() if q.redrive_policy and q.redrive_policy.get("deadLetterTargetArn") == dlq.queue_arn]


def _move_visible(source: Queue, destination: Queue) -> int:
    movable = [m for m in list(source._messages) if m.visible and not m.delayed]
    dest_backend = sqs_backends[destination.account_id][destination.region]
    with source._messages_lock:
        source._messages = [m for m in source._messages if m not in movable]
    for message in movable:
        dest_backend.send_message(destination.name, message.body, message_attributes=message.message_attributes)
    return len(movable)


class MessageMoveTasks:
    """The three move-task operations, as methods of moto's SQSResponse (mixed in by `install`)."""

    _get_param: Any

    def start_message_move_task(self) -> ActionResult:
        source_backend, source = _queue_by_arn(self._get_param("SourceArn"))
        sources = _redrive_sources(source_backend, source)
        if not sources:
            raise SQSException("InvalidParameterValue", "Source queue must be configured as a Dead Letter Queue.")
        destination_arn = self._get_param("DestinationArn")
        if destination_arn is None and len(sources) > 1:
            raise SQSException("InvalidParameterValue", "This local AWS cannot tell the original source of each message: give DestinationArn.")
        _, destination = _queue_by_arn(destination_arn) if destination_arn else (None, sources[0])
        if any(t["Status"] == "RUNNING" for t in _tasks(source)):
            raise SQSException("UnsupportedOperation", "There is already a task running for this source queue.")
        to_move = sum(1 for m in source._messages if m.visible and not m.delayed)
        moved = _move_visible(source, destination)
        handle = str(uuid.uuid4())
        task = {
            "TaskHandle": handle,
            "Status": "COMPLETED",
            "SourceArn": source.queue_arn,
            "ApproximateNumberOfMessagesMoved": moved,
            "ApproximateNumberOfMessagesToMove": to_move,
            "StartedTimestamp": int(time.time() * 1000),
        }
        if destination_arn is not None:
            task["DestinationArn"] = destination_arn
        rate = self._get_param("MaxNumberOfMessagesPerSecond")
        if rate is not None:
            task["MaxNumberOfMessagesPerSecond"] = int(rate)
        _tasks(source).insert(0, task)
        return ActionResult({"TaskHandle": handle})

    def list_message_move_tasks(self) -> ActionResult:
        _, source = _queue_by_arn(self._get_param("SourceArn"))
        limit = int(self._get_param("MaxResults") or LIST_DEFAULT)
        if not 1 <= limit <= LIST_MAX:
            raise SQSException("InvalidParameterValue", f"MaxResults must be between 1 and {LIST_MAX}.")
        results = [{k: v for k, v in t.items() if k != "TaskHandle"} for t in _tasks(source)[:limit]]
        return ActionResult({"Results": results})

    def cancel_message_move_task(self) -> ActionResult:
        handle = self._get_param("TaskHandle")
        for backend_by_region in list(sqs_backends.values()):
            for backend in list(backend_by_region.values()):
                for queue in list(backend.queues.values()):
                    for task in _tasks(queue):
                        if task["TaskHandle"] == handle:
                            raise SQSException("UnsupportedOperation", f"Only a RUNNING task can be cancelled; this one is {task['Status']}.")
        raise SQSException("ResourceNotFoundException", f"No message move task has the handle {handle}.")


_original_attributes = Queue.attributes


def _attributes(queue: Queue) -> dict[str, Any]:
    result: dict[str, Any] = _original_attributes.fget(queue)  # type: ignore[attr-defined]
    if queue.redrive_policy:
        result["RedrivePolicy"] = json.dumps(queue.redrive_policy, separators=(",", ":"))
    if not result.get("RedriveAllowPolicy"):
        # SetQueueAttributes with an empty string removes it: AWS then leaves it out of the answer.
        result.pop("RedriveAllowPolicy", None)
    return result


def install() -> None:
    """Makes RedriveAllowPolicy a returned attribute, RedrivePolicy compact, and adds the move-task operations."""
    Queue.attributes = property(_attributes)  # type: ignore[assignment,method-assign]
    if "RedriveAllowPolicy" not in Queue.BASE_ATTRIBUTES:
        Queue.BASE_ATTRIBUTES.append("RedriveAllowPolicy")
    # Queues that never had the attribute set read it as absent (None is left out of the response).
    Queue.redrive_allow_policy = None  # type: ignore[attr-defined]
    for name, member in vars(MessageMoveTasks).items():
        if callable(member) and not name.startswith("__"):
            setattr(SQSResponse, name, member)
