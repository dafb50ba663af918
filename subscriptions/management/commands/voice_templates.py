"""Print the text-to-speech templates to register with the voice provider, in its syntax."""

from django.conf import settings
from django.core.management.base import BaseCommand

from subscriptions.channels.voice import TEMPLATES


class Command(BaseCommand):
    help = "Print the wording of each voice (TTS) template to register, with this hub's name."

    def add_arguments(self, parser):
        parser.add_argument(
            "--provider",
            choices=["aliyun", "tencent"],
            help="whose variable syntax: Aliyun ${name}, Tencent {1} (default: the configured one)",
        )

    def handle(self, *args, provider=None, **options):
        provider = provider or settings.LINLI_VOICE_PROVIDER
        if provider not in ("aliyun", "tencent"):
            provider = "aliyun"
        for name, template in TEMPLATES.items():
            setting = f"LINLI_VOICE_TEMPLATE_{name.upper()}"
            self.stdout.write(f"{name} — 语音通知 (TTS); its code goes in {setting}")
            self.stdout.write(f"  {template.for_provider(provider)}\n")
