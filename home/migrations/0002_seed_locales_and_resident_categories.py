"""Content locales and the resident categories that clients and subscriptions refer to by code.

The rows are reference data, not demo content: every installation needs them.
Codes are stable forever; names may be edited later in the admin.
"""

import uuid

from django.db import migrations

LOCALES = ["zh-hans", "zh-hant", "en"]

# code, sensitive, {locale: (name, description)}
CATEGORIES = [
    (
        "elderly",
        False,
        {
            "zh-hans": ("老年人", "60 周岁及以上的居民。"),
            "zh-hant": ("老年人", "60 周歲及以上的居民。"),
            "en": ("Older people", "Residents aged 60 and over."),
        },
    ),
    (
        "elderly_alone",
        True,
        {
            "zh-hans": ("高龄/独居老人", "80 周岁及以上，或独自居住的老人。"),
            "zh-hant": ("高齡/獨居老人", "80 周歲及以上，或獨自居住的老人。"),
            "en": (
                "Over-80s and older people living alone",
                "Residents aged 80 and over, or older people who live alone.",
            ),
        },
    ),
    (
        "disability",
        True,
        {
            "zh-hans": ("残疾人", "视力、听力言语、智力、肢体、精神残疾的居民。"),
            "zh-hant": ("殘疾人", "視力、聽力言語、智力、肢體、精神殘疾的居民。"),
            "en": (
                "People with disabilities",
                "Residents with visual, hearing or speech, intellectual, physical or mental disabilities.",
            ),
        },
    ),
    (
        "entitled",
        False,
        {
            "zh-hans": ("优抚对象", "军烈属、伤残军人、复员退伍军人和军队离退休干部。"),
            "zh-hant": ("優撫對象", "軍烈屬、傷殘軍人、復員退伍軍人和軍隊離退休幹部。"),
            "en": (
                "Entitled groups",
                "Families of servicemen and martyrs, disabled veterans, demobilised soldiers and retired military cadres.",
            ),
        },
    ),
    (
        "children",
        False,
        {
            "zh-hans": ("少年儿童", "儿童、青少年和他们的家长。"),
            "zh-hant": ("少年兒童", "兒童、青少年和他們的家長。"),
            "en": ("Children and youth", "Children, young people and their parents."),
        },
    ),
    (
        "low_income",
        True,
        {
            "zh-hans": ("低保/困难家庭", "享受最低生活保障或生活困难的家庭。"),
            "zh-hant": ("低保/困難家庭", "享受最低生活保障或生活困難的家庭。"),
            "en": (
                "Low-income and hardship families",
                "Families on the minimum living guarantee or in hardship.",
            ),
        },
    ),
    (
        "job_seeker",
        False,
        {
            "zh-hans": ("下岗失业人员", "失业、下岗和正在找工作的居民，包括“4050”人员。"),
            "zh-hant": ("下崗失業人員", "失業、下崗和正在找工作的居民，包括「4050」人員。"),
            "en": (
                "Unemployed and job seekers",
                "Residents out of work or looking for a job, including “4050” workers.",
            ),
        },
    ),
    (
        "migrant",
        False,
        {
            "zh-hans": ("流动人口/新市民", "外地来的租住居民和新搬来的居民。"),
            "zh-hant": ("流動人口/新市民", "外地來的租住居民和新搬來的居民。"),
            "en": (
                "Migrants and new residents",
                "Residents from elsewhere who rent here, and newcomers.",
            ),
        },
    ),
    (
        "all",
        False,
        {
            "zh-hans": ("全体居民", "所有居民。"),
            "zh-hant": ("全體居民", "所有居民。"),
            "en": ("All residents", "Everyone living in the area."),
        },
    ),
]


def seed(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    ResidentCategory = apps.get_model("home", "ResidentCategory")
    locales = {code: Locale.objects.get_or_create(language_code=code)[0] for code in LOCALES}
    for order, (code, sensitive, names) in enumerate(CATEGORIES, start=1):
        key = uuid.uuid5(uuid.NAMESPACE_URL, f"linli:resident-category:{code}")
        for language, (name, description) in names.items():
            ResidentCategory.objects.get_or_create(
                code=code,
                locale=locales[language],
                defaults={
                    "translation_key": key,
                    "name": name,
                    "description": description,
                    "is_sensitive": sensitive,
                    "sort_order": order * 10,
                },
            )


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0001_initial"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
