"""EventBridge forwarding to another event bus, with the event as it was.

When a rule's target is an event bus (in another Region or account), EventBridge delivers the event
itself: its `id`, `account`, `region`, `time` and `resources` stay those of the source, so a rule or
consumer on the receiving bus still sees where it came from
(https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-region.html,
https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-account.html). moto 5.2.5 sends a new
event instead (`PutEvents` of source, detail-type and detail only), so the account, the source Region
and `resources` were lost on the way to the hub: events that name their account only in the envelope
or in `resources` (GuardDuty's Malware Protection plan status events) arrived naming none.

Now a bus target receives the matched event unchanged (input transformers do not apply to bus
targets in EventBridge either); every other target is left to moto. And the event every target
receives without an input transformer names its `account`, as EventBridge's events do
(https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html): moto's default
template left it out. And a rule that is DISABLED matches nothing, as in EventBridge
(https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_DisableRule.html): moto delivered
the events of a disabled rule as if it were enabled, so a forwarder switched off by an attacker
still forwarded.
"""

from __future__ import annotations

import copy
from typing import Any

from moto.events.models import Rule, events_backends
from moto.events.utils import EventTemplateParser
from moto.utilities.arns import parse_arn

_original = Rule.send_to_targets


def _is_bus(target: dict[str, Any]) -> bool:
    arn = parse_arn(target["Arn"])
    return arn.service == "events" and arn.resource_type == "event-bus"


def _send_to_targets(self: Rule, original_event: Any, transform_input: bool = True) -> None:
    if self.state == "DISABLED":
        return
    buses = [target for target in self.targets if _is_bus(target)]
    if not buses or not self.event_pattern.matches_event(original_event):
        _original(self, original_event, transform_input)
        return
    targets = self.targets
    try:
        self.targets = [target for target in targets if not _is_bus(target)]
        _original(self, original_event, transform_input)
    finally:
        self.targets = targets
    for target in buses:
        arn = parse_arn(target["Arn"])
        bus = events_backends[arn.account][arn.region].describe_event_bus(arn.resource_id)
        for rule in bus.rules.values():
            rule.send_to_targets(copy.deepcopy(original_event))


_TEMPLATE_WITH_ACCOUNT = (
    '{"version": "0", "id": "<id>", "detail-type": "<detail-type>", "source": "<source>", '
    '"account": "<account>", "time": <time>, "region": "<region>", "resources": <resources>, "detail": <detail>}'
)


def install() -> None:
    """Makes event-bus targets receive the event as it was, every event name its account, and disabled rules match nothing."""
    Rule.send_to_targets = _send_to_targets  # type: ignore[method-assign]
    EventTemplateParser.DEFAULT_EVENT_INPUT_TEMPLATE = _TEMPLATE_WITH_ACCOUNT
