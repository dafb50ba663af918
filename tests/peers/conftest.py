"""The loopback peer fixtures, for the self-tests in this package."""

from tests.peers.fixtures import *  # noqa: F403
