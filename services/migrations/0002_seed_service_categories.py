"""The two-level service categories, drawn from the street office's service areas.

Reference data every installation needs; codes are stable, names may be
edited and translated later in the admin.
"""

import uuid

from django.db import migrations

# (code, name, description, [(code, name, description), ...])
CATEGORIES = [
    (
        "elderly_care",
        "养老服务",
        "为老年人提供的“六助”服务和日间照料。",
        [
            ("meals", "助餐", "长者饭堂用餐和送餐上门。"),
            ("cleaning", "助洁", "上门打扫卫生、整理家务。"),
            ("medical", "助医", "家庭医生上门、陪同看病、健康检查。"),
            ("hardship", "助困", "高龄津贴和困难老人的生活帮扶。"),
            ("emergency", "助急", "紧急呼叫器、一键通电话等应急帮助。"),
            ("recreation", "助乐", "星光老年之家的文体娱乐活动。"),
            ("day_care", "日间照料", "托老所白天照看老人，晚上回家。"),
        ],
    ),
    (
        "disability_support",
        "助残服务",
        "为残疾人提供的补贴、康复和就业帮扶。",
        [
            ("disability_subsidy", "残疾人补贴", "困难残疾人生活补贴和重度残疾人护理补贴。"),
            ("rehabilitation", "康复服务", "社区康复训练和康复指导。"),
            ("assistive_devices", "辅助器具", "轮椅、助听器、助行器等的申请和适配。"),
            ("disability_certificate", "残疾人证", "残疾人证的申请、换领和补办。"),
        ],
    ),
    (
        "employment",
        "就业服务",
        "帮助居民找工作、学技能、办理失业手续。",
        [
            ("job_info", "就业信息", "招聘岗位信息发布和岗位推荐。"),
            ("vocational_training", "职业培训", "免费的技能培训和再就业培训。"),
            ("unemployment", "失业登记与失业保险", "失业登记、失业保险金申领和发放。"),
            ("entrepreneurship", "创业扶持", "创业咨询和创业担保贷款。"),
        ],
    ),
    (
        "social_assistance",
        "社会救助",
        "帮助生活困难的家庭渡过难关。",
        [
            ("minimum_living", "最低生活保障", "低保的申请、审核和年度复核。"),
            ("temporary_relief", "临时救助", "遇到急事难事时的一次性救助。"),
            ("medical_relief", "医疗救助", "困难群众看病费用的救助。"),
            ("heating_subsidy", "采暖补贴", "困难家庭冬季取暖费补助。"),
        ],
    ),
    (
        "social_security",
        "社会保障",
        "养老保险、医疗保险和优抚待遇。",
        [
            ("pension", "养老保险", "养老保险参保和领取资格认证。"),
            ("medical_insurance", "医疗保险", "城乡居民医保参保和缴费。"),
            ("entitled_care", "优抚服务", "优抚对象的抚恤补助和优待。"),
        ],
    ),
    (
        "health",
        "卫生健康",
        "基本公共卫生和健康服务。",
        [
            ("family_doctor", "家庭医生", "家庭医生签约和上门服务。"),
            ("vaccination", "预防接种", "流感疫苗等预防接种。"),
            ("health_checkup", "健康体检", "老年人免费体检。"),
            ("health_education", "健康教育", "健康讲座和义诊。"),
        ],
    ),
    (
        "culture_education",
        "文体教育",
        "文化、体育、阅读和孩子们的课外活动。",
        [
            ("library", "图书阅览", "社区图书室看书、借书。"),
            ("arts", "文艺活动", "书画、戏曲、合唱、秧歌等文艺团队和活动。"),
            ("sports", "体育健身", "棋类、健身、运动会。"),
            ("after_school", "课后托管", "放学后的看护和作业辅导。"),
            ("holiday_activities", "假期活动", "寒暑假少儿活动。"),
        ],
    ),
    (
        "migrant_services",
        "流动人口服务",
        "新市民在本地居住、上学、办事的服务。",
        [
            ("residence_registration", "居住登记与居住证", "租房居住登记和居住证办理。"),
            ("migrant_schooling", "随迁子女入学", "随迁子女入学材料审核。"),
            ("settling_in", "融入服务", "帮助新市民熟悉社区、结识邻居。"),
        ],
    ),
    (
        "public_safety",
        "平安法治",
        "法律帮助、调解纠纷和安全防范。",
        [
            ("legal_aid", "法律援助", "困难群众免费请律师、法律咨询。"),
            ("mediation", "矛盾调解", "邻里、家庭纠纷的人民调解。"),
            ("anti_fraud", "防范诈骗", "防诈骗宣传和提醒。"),
        ],
    ),
    (
        "convenience",
        "便民服务",
        "家政、维修、洗衣、理发、缴费等生活服务。",
        [
            ("housekeeping", "家政", "保洁、做饭、陪护等家政服务。"),
            ("repair", "维修", "家电、水电、门窗维修。"),
            ("laundry", "洗衣", "衣物、被褥清洗和收送。"),
            ("haircut", "理发", "到站理发和上门理发。"),
            ("recycling", "回收", "废旧物品、旧家电回收。"),
            ("bill_payment", "代缴费", "代缴水费、电费、燃气费、电话费。"),
            ("parking", "停车", "共享停车位和月租车位。"),
        ],
    ),
    (
        "mutual_aid",
        "邻里互助",
        "居民之间互相帮一把。",
        [
            ("neighbour_help", "邻里帮扶", "代买菜、代取药、代办小事。"),
            ("visiting", "关爱探访", "定期上门看望独居、高龄老人。"),
            ("volunteer_repair", "志愿维修", "志愿者免费修理小家电、小物件。"),
            ("seniors_helping_seniors", "老老互助", "低龄老人结对帮助高龄老人。"),
        ],
    ),
]


def seed(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    ServiceCategory = apps.get_model("services", "ServiceCategory")
    locale = Locale.objects.get(language_code="zh-hans")

    def ensure(code, name, description, parent, order):
        return ServiceCategory.objects.get_or_create(
            code=code,
            locale=locale,
            defaults={
                "translation_key": uuid.uuid5(uuid.NAMESPACE_URL, f"linli:service-category:{code}"),
                "name": name,
                "description": description,
                "parent": parent,
                "sort_order": order,
            },
        )[0]

    for top_order, (code, name, description, children) in enumerate(CATEGORIES, start=1):
        top = ensure(code, name, description, None, top_order * 10)
        for order, (child_code, child_name, child_description) in enumerate(children, start=1):
            ensure(child_code, child_name, child_description, top, order * 10)


class Migration(migrations.Migration):
    dependencies = [
        ("services", "0001_initial"),
        ("home", "0002_seed_locales_and_resident_categories"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
