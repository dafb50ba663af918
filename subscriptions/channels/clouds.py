"""Clients of Aliyun's and Tencent Cloud's SDKs, made alike for texts and for calls.

Made after a worker forked (the SDKs keep one session per process), with the
hub's timeout rather than the SDKs' own (Tencent's waits 60 s), and pointed
at another endpoint when one is set (a loopback peer in tests).
"""

import string
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings


@dataclass(frozen=True)
class ApprovedTemplate:
    """A template the provider approved: our name and its wording with {name} variables.

    Some names are fixed text of the approved wording (`fixed`), the others are
    the parameters sent with each message.
    """

    name: str
    wording: str

    def fixed(self) -> dict[str, str]:
        return {}

    def variables(self) -> list[str]:
        names = [field for _, field, _, _ in string.Formatter().parse(self.wording) if field]
        return [name for name in names if name not in self.fixed()]

    def render(self, **params: str) -> str:
        return self.wording.format(**self.fixed(), **params)

    def for_provider(self, provider: str) -> str:
        """The wording to register: Aliyun names variables ${name}, Tencent numbers them {1}."""
        values = dict(self.fixed())
        for n, name in enumerate(self.variables(), start=1):
            values[name] = f"{{{n}}}" if provider == "tencent" else f"${{{name}}}"
        return self.wording.format(**values)


def endpoint_parts(value: str) -> tuple[str, str]:
    """(protocol, host[:port]) from a configured endpoint, with or without a scheme."""
    parts = urlsplit(value if "://" in value else f"https://{value}")
    return parts.scheme, parts.netloc


def aliyun_client(client_class, *, key_id: str, key_secret: str, endpoint: str):
    """An Aliyun OpenAPI client (Dysmsapi, Dyvmsapi) with the hub's timeout."""
    from alibabacloud_tea_openapi.models import Config

    timeout_ms = settings.LINLI_PUSH_TIMEOUT * 1000
    config = Config(
        access_key_id=key_id,
        access_key_secret=key_secret,
        region_id="cn-hangzhou",
        connect_timeout=timeout_ms,
        read_timeout=timeout_ms,
    )
    if endpoint:
        config.protocol, config.endpoint = endpoint_parts(endpoint)
    return client_class(config)


def tencent_client(client_class, *, secret_id: str, secret_key: str, region: str, endpoint: str):
    """A Tencent Cloud API client (SMS, VMS) with the hub's timeout; it holds one session."""
    from tencentcloud.common.credential import Credential
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile

    protocol, host = endpoint_parts(endpoint) if endpoint else (None, None)
    http = HttpProfile(protocol=protocol, endpoint=host, reqTimeout=settings.LINLI_PUSH_TIMEOUT)
    return client_class(Credential(secret_id, secret_key), region, ClientProfile(httpProfile=http))
