"""guardduty-hub's local AWS: moto in server mode plus the few APIs the hub's Terraform and CLI call
that moto 5.2.5 lacks. Each extension registers handlers on moto's own backends and response classes
(no second implementation of a service) and names the AWS API reference it follows.

    python -m localaws -H 127.0.0.1 -p 0      # like moto_server; -p 0 picks a free port

`install()` applies every extension; it is idempotent and runs before the server starts.
"""

from . import events_forward, guardduty, guardduty_detection_rules, guardduty_findings, guardduty_lists, guardduty_samples, lambda_esm, sqs, sqs_metrics

__all__ = ["install"]

_installed = False


def install() -> None:
    """Registers every extension on moto (once per process)."""
    global _installed
    if _installed:
        return
    events_forward.install()
    guardduty.install()
    guardduty_detection_rules.install()
    guardduty_findings.install()
    guardduty_lists.install()
    guardduty_samples.install()
    sqs.install()
    sqs_metrics.install()
    lambda_esm.install()
    _installed = True
