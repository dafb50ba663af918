from pathlib import Path

from django.db import migrations

SEED = Path(__file__).resolve().parents[1] / "dictionaries" / "synonyms.txt"


def seed(apps, schema_editor):
    SynonymGroup = apps.get_model("linli_search", "SynonymGroup")
    if SynonymGroup.objects.exists():
        return
    lines = SEED.read_text(encoding="utf-8").splitlines()
    SynonymGroup.objects.bulk_create(
        SynonymGroup(words=line.strip())
        for line in lines
        if line.strip() and not line.startswith("#")
    )


class Migration(migrations.Migration):
    dependencies = [("linli_search", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
