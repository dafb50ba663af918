"""Print the SMS templates to register with the provider, in its own variable syntax."""

from django.conf import settings
from django.core.management.base import BaseCommand

from subscriptions.channels.sms import TEMPLATES

KINDS = {"notify": "通知短信 (notification)", "verify": "验证码 (verification code)"}


class Command(BaseCommand):
    help = "Print the wording of each SMS template to register, with this hub's link base."

    def add_arguments(self, parser):
        parser.add_argument(
            "--provider",
            choices=["aliyun", "tencent"],
            help="whose variable syntax: Aliyun ${name}, Tencent {1} (default: the configured one)",
        )

    def handle(self, *args, provider=None, **options):
        provider = provider or settings.LINLI_SMS_PROVIDER
        if provider not in ("aliyun", "tencent"):
            provider = "aliyun"
        self.stdout.write(f"signature (签名): {settings.LINLI_SMS_SIGN_NAME}")
        for name, template in TEMPLATES.items():
            setting = f"LINLI_SMS_TEMPLATE_{name.upper()}"
            self.stdout.write(f"\n{name} — {KINDS[template.kind]}; its code goes in {setting}")
            self.stdout.write(f"  {template.for_provider(provider)}")
