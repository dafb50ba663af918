"""Aliyun's SMS and voice OpenAPI on loopback: see `peer.AliyunPeer`."""

from .actions import AliyunError
from .callbacks import CALL_STATUS, aliyun_accepts
from .peer import AliyunPeer

__all__ = ["CALL_STATUS", "AliyunError", "AliyunPeer", "aliyun_accepts"]
