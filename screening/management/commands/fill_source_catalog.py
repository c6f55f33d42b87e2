"""The source strings are Simplified Chinese: the zh_Hans catalog translates each msgid to itself."""

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Set msgstr = msgid in locale/zh_Hans (run after makemessages)."

    def handle(self, *args, **options):
        from babel.messages.pofile import read_po, write_po

        path = settings.BASE_DIR / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
        with path.open("rb") as f:
            catalog = read_po(f, locale="zh_Hans")
        for message in catalog:
            if message.id:
                message.string = message.id
                message.flags.discard("fuzzy")
        catalog.fuzzy = False
        with path.open("wb") as f:
            write_po(f, catalog, width=0, omit_header=False)
        self.stdout.write(f"{path}: {len(catalog)} messages")
