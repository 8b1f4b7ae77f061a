"""Starts moto's server with guardduty-hub's extensions (see `localaws/__init__.py`).

Arguments are moto_server's, for example `python -m localaws -H 127.0.0.1 -p 5000`.
"""

import sys

from moto.server import main as moto_main

from . import install

if __name__ == "__main__":
    install()
    moto_main(sys.argv[1:])
