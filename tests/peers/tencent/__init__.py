"""Tencent Cloud's SMS and voice-message (VMS) API 3.0 on loopback: see `peer.TencentPeer`."""

from .actions import TencentError
from .callbacks import tencent_accepts
from .peer import TencentPeer

__all__ = ["TencentError", "TencentPeer", "tencent_accepts"]
