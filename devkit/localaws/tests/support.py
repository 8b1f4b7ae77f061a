"""A launcher-extended moto server on a free loopback port, and boto3 clients for it."""

from __future__ import annotations

import logging
import socket
import unittest
from typing import Any

import boto3
from moto.server import ThreadedMotoServer

import localaws


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LocalAwsTestCase(unittest.TestCase):
    """Starts one server per test class; `client(service, account)` acts as `account` (x-moto-account-id)."""

    endpoint: str
    server: ThreadedMotoServer

    @classmethod
    def setUpClass(cls) -> None:
        localaws.install()
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        port = _free_port()
        cls.server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
        cls.server.start()
        cls.endpoint = f"http://127.0.0.1:{port}"

    @classmethod
    def tearDownClass(cls) -> None:
        cls.server.stop()

    def client(self, service: str, account: str, region: str = "us-east-1") -> Any:
        client = boto3.client(
            service, region_name=region, endpoint_url=self.endpoint,
            aws_access_key_id="testing", aws_secret_access_key="testing",
        )

        def add_account(request: Any, **_: Any) -> None:
            request.headers["x-moto-account-id"] = account

        client.meta.events.register("before-send", add_account)
        return client
