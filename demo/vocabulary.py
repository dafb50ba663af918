"""Word lists that the bulk seeder combines into services, notices and events.

Placeholders filled in by demo.bulk: {place} (community or street name),
{hall} (its service station or centre), {phone}, {area}, {n}, {price}, {days},
{date}, {until}, {year}, {quarter}, {variant}.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class ServiceTopic:
    """One kind of service and what typically goes with it."""

    slug: str
    name: str
    kind: str
    fee_modes: tuple[str, ...]
    categories: tuple[str, ...]
    residents: tuple[str, ...]
    modes: tuple[str, ...]
    summary: str
    eligibility: str = ""
    documents: tuple[str, ...] = ()
    ages: tuple[int | None, int | None] = (None, None)
    price: tuple[int, int, str, str] = (0, 0, "", "")


@dataclass(frozen=True)
class NoticeTopic:
    """One kind of notice, with how urgent it tends to be."""

    slug: str
    title: str
    summary: str
    body: tuple[str, ...]
    residents: tuple[str, ...]
    urgent: bool = False


@dataclass(frozen=True)
class EventTopic:
    """One kind of community event, with its type and usual audience."""

    slug: str
    title: str
    event_type: str
    summary: str
    body: tuple[str, ...]
    residents: tuple[str, ...]
    variants: tuple[str, ...] = ("",)
    fee: tuple[int, ...] = (0,)


AREAS = ("东区", "西区", "南区", "北区", "一号院", "二号院", "三号院", "老楼片区", "新楼片区")

DOCUMENTS = {
    "id": ("居民身份证", True, 1, ""),
    "hukou": ("户口簿", True, 1, "本人页和户主页"),
    "residence": ("居住证", True, 1, "外地户籍居民带"),
    "photo": ("一寸白底免冠照片", True, 0, "两张"),
    "disability": ("残疾人证", True, 1, ""),
    "low_income": ("低保证或特困供养证", True, 1, ""),
    "income": ("近6个月家庭收入证明", True, 0, "由工作单位或居委会开具"),
    "bank": ("本人银行卡或存折", True, 1, "补贴发到这张卡上"),
    "lease": ("租房合同", True, 1, "房东身份证复印件一起带"),
    "insurance": ("社会保障卡", True, 0, ""),
    "unemployed": ("失业登记证明", True, 1, ""),
    "form": ("申请表", True, 0, "在服务站领取，也可以在网上下载打印"),
    "medical": ("近三个月的病历或诊断证明", True, 1, ""),
    "veteran": ("优待证或退役军人证", True, 1, ""),
    "birth": ("出生医学证明", True, 1, "给孩子办理时带"),
}

SERVICE_TOPICS = (
    ServiceTopic(
        slug="home-care",
        name="居家养老上门服务",
        kind="commercial",
        fee_modes=("low_cost",),
        categories=("cleaning", "medical"),
        residents=("elderly", "elderly_alone", "disability"),
        modes=("home_visit", "hotline"),
        summary="{place}为行动不便的老人提供上门助洁、助浴和陪诊，补贴后每小时{price}元。",
        eligibility="本社区60岁以上、行动不便的老人；失能老人优先。",
        documents=("id", "form"),
        ages=(60, None),
        price=(20, 45, "小时", "政府补贴后价格"),
    ),
    ServiceTopic(
        slug="elderly-meals",
        name="长者助餐",
        kind="commercial",
        fee_modes=("low_cost",),
        categories=("meals",),
        residents=("elderly", "elderly_alone", "low_income"),
        modes=("service_point", "home_visit"),
        summary="{place}长者饭堂供应午餐和晚餐，60岁以上老人凭卡就餐，每份{price}元。",
        eligibility="60岁以上老人凭爱心卡就餐；低保、特困老人可办助餐补贴卡。",
        documents=("id",),
        ages=(60, None),
        price=(3, 15, "份", "标准套餐"),
    ),
    ServiceTopic(
        slug="minimum-living",
        name="低保申请",
        kind="public",
        fee_modes=("free",),
        categories=("minimum_living",),
        residents=("low_income",),
        modes=("service_point", "online"),
        summary="家庭人均收入低于本市低保标准的，可以到{hall}申请最低生活保障。",
        eligibility="本市户籍，共同生活的家庭成员人均月收入低于本市低保标准，且财产符合规定。",
        documents=("id", "hukou", "income", "bank", "form"),
    ),
    ServiceTopic(
        slug="job-training",
        name="再就业培训",
        kind="public",
        fee_modes=("free",),
        categories=("vocational_training", "job_info"),
        residents=("job_seeker", "migrant"),
        modes=("service_point", "online"),
        summary="失业和正在找工作的居民可免费参加{place}的技能培训，结业推荐岗位。",
        eligibility="法定劳动年龄内、有就业意愿的失业人员，外地户籍持居住证也可以报名。",
        documents=("id", "unemployed", "photo"),
        ages=(16, 60),
    ),
    ServiceTopic(
        slug="legal-aid",
        name="法律援助",
        kind="public",
        fee_modes=("free",),
        categories=("legal_aid", "mediation"),
        residents=("low_income", "disability", "elderly", "entitled", "all"),
        modes=("service_point", "hotline"),
        summary="讨薪、赡养、工伤等纠纷，困难居民可以在{hall}申请免费律师。",
        eligibility="经济困难的居民，以及老年人、残疾人、农民工追索报酬等不受经济条件限制的情形。",
        documents=("id", "income", "form"),
    ),
    ServiceTopic(
        slug="housekeeping",
        name="家政服务",
        kind="commercial",
        fee_modes=("paid",),
        categories=("housekeeping",),
        residents=("all", "elderly"),
        modes=("home_visit", "hotline"),
        summary="加盟家政公司上门保洁、做饭、陪护，价格公示，每小时{price}元起。",
        eligibility="",
        documents=(),
        ages=(None, None),
        price=(35, 80, "小时", "日常保洁"),
    ),
    ServiceTopic(
        slug="appliance-repair",
        name="家电维修",
        kind="commercial",
        fee_modes=("paid", "low_cost"),
        categories=("repair",),
        residents=("all", "elderly_alone"),
        modes=("home_visit", "hotline"),
        summary="电视、冰箱、洗衣机等家电上门维修，上门费{price}元，配件按价另计。",
        eligibility="",
        documents=(),
        ages=(None, None),
        price=(20, 50, "次", "上门检测费"),
    ),
    ServiceTopic(
        slug="volunteer-repair",
        name="志愿维修",
        kind="volunteer",
        fee_modes=("free",),
        categories=("volunteer_repair",),
        residents=("elderly_alone", "disability", "low_income"),
        modes=("service_point", "home_visit"),
        summary="志愿者每月在{place}免费修理小家电、雨伞、钟表，困难老人可预约上门。",
    ),
    ServiceTopic(
        slug="family-doctor",
        name="家庭医生签约",
        kind="public",
        fee_modes=("free",),
        categories=("family_doctor", "medical"),
        residents=("elderly", "disability", "children", "all"),
        modes=("service_point", "home_visit", "hotline"),
        summary="和社区卫生服务站的家庭医生签约，看病、开药、随访都找固定的医生。",
        eligibility="本街道常住居民均可签约，老年人、慢性病患者和残疾人优先。",
        documents=("id", "insurance"),
    ),
    ServiceTopic(
        slug="health-checkup",
        name="老年人免费体检",
        kind="public",
        fee_modes=("free",),
        categories=("health_checkup",),
        residents=("elderly",),
        modes=("service_point",),
        summary="65岁以上老人每年免费体检一次，查血压、血糖、心电图和B超。",
        eligibility="本街道常住、65周岁以上的老人。",
        documents=("id", "insurance"),
        ages=(65, None),
    ),
    ServiceTopic(
        slug="day-care",
        name="日间照料",
        kind="commercial",
        fee_modes=("low_cost",),
        categories=("day_care",),
        residents=("elderly", "elderly_alone"),
        modes=("service_point",),
        summary="白天把老人送到{place}托老所，有午餐午休和康复活动，每天{price}元。",
        eligibility="生活基本能自理、需要白天有人照看的老人。",
        documents=("id", "medical"),
        ages=(60, None),
        price=(30, 80, "天", "含午餐"),
    ),
    ServiceTopic(
        slug="emergency-call",
        name="紧急呼叫器安装",
        kind="public",
        fee_modes=("free", "low_cost"),
        categories=("emergency",),
        residents=("elderly_alone", "disability"),
        modes=("home_visit", "device"),
        summary="独居和高龄老人家里装紧急呼叫器，一按就通到服务站和子女手机。",
        eligibility="80岁以上或独居的老人、重度残疾人。",
        documents=("id",),
        ages=(None, None),
        price=(5, 20, "月", "通讯服务费"),
    ),
    ServiceTopic(
        slug="disability-subsidy",
        name="残疾人两项补贴",
        kind="public",
        fee_modes=("free",),
        categories=("disability_subsidy",),
        residents=("disability", "low_income"),
        modes=("service_point", "online"),
        summary="困难残疾人生活补贴和重度残疾人护理补贴，在{hall}申请，按月发放。",
        eligibility="持第二代残疾人证；生活补贴要求低保或低收入家庭，护理补贴要求一、二级残疾。",
        documents=("id", "disability", "bank", "form"),
    ),
    ServiceTopic(
        slug="assistive-devices",
        name="辅助器具适配",
        kind="public",
        fee_modes=("free", "low_cost"),
        categories=("assistive_devices", "rehabilitation"),
        residents=("disability", "elderly"),
        modes=("service_point", "home_visit"),
        summary="轮椅、助行器、助听器等辅具可以申请免费适配，部分需要自付少量费用。",
        eligibility="持残疾人证的居民，以及经评估需要辅具的失能老人。",
        documents=("id", "disability", "medical"),
        ages=(None, None),
        price=(50, 300, "件", "超出补贴标准的部分"),
    ),
    ServiceTopic(
        slug="residence-permit",
        name="居住证办理",
        kind="public",
        fee_modes=("free",),
        categories=("residence_registration",),
        residents=("migrant",),
        modes=("service_point", "online"),
        summary="来本街道居住满半年的外地居民，可以在{hall}办理居住证。",
        eligibility="在本街道连续居住半年以上，有合法稳定住所、就业或就读证明。",
        documents=("id", "lease", "photo"),
        ages=(16, None),
    ),
    ServiceTopic(
        slug="after-school",
        name="课后托管",
        kind="commercial",
        fee_modes=("low_cost",),
        categories=("after_school",),
        residents=("children", "migrant"),
        modes=("service_point",),
        summary="放学后到{place}活动室写作业、看书，有老师和志愿者看护，每月{price}元。",
        eligibility="本社区6至12岁的小学生，家长下班前接走。",
        documents=("hukou", "residence"),
        ages=(6, 12),
        price=(200, 600, "月", "含作业辅导"),
    ),
    ServiceTopic(
        slug="unemployment-registration",
        name="失业登记",
        kind="public",
        fee_modes=("free",),
        categories=("unemployment",),
        residents=("job_seeker",),
        modes=("service_point", "online"),
        summary="失业后到{hall}做失业登记，可以领失业保险金、参加免费培训。",
        eligibility="法定劳动年龄内、有劳动能力和就业意愿的失业人员。",
        documents=("id", "insurance"),
        ages=(16, 65),
    ),
    ServiceTopic(
        slug="temporary-relief",
        name="临时救助",
        kind="public",
        fee_modes=("free",),
        categories=("temporary_relief",),
        residents=("low_income", "all"),
        modes=("service_point", "hotline"),
        summary="遇到火灾、重病等急事生活一时困难的，可以申请一次性临时救助。",
        eligibility="因意外事件、家庭成员重病等导致基本生活暂时出现严重困难的家庭。",
        documents=("id", "hukou", "medical", "form"),
    ),
    ServiceTopic(
        slug="medical-insurance",
        name="城乡居民医保参保",
        kind="public",
        fee_modes=("free",),
        categories=("medical_insurance",),
        residents=("all", "children", "elderly", "migrant"),
        modes=("service_point", "online", "hotline"),
        summary="没有职工医保的老人、孩子和无业居民，可以在{hall}办理城乡居民医保。",
        eligibility="",
        documents=("id", "hukou", "birth"),
    ),
    ServiceTopic(
        slug="laundry",
        name="洗衣服务",
        kind="commercial",
        fee_modes=("paid",),
        categories=("laundry",),
        residents=("all", "elderly"),
        modes=("service_point", "home_visit"),
        summary="衣物、被褥清洗，老人可以约上门收送，普通衣物每件{price}元起。",
        eligibility="",
        documents=(),
        ages=(None, None),
        price=(8, 30, "件", "普通衣物"),
    ),
    ServiceTopic(
        slug="haircut",
        name="上门理发",
        kind="volunteer",
        fee_modes=("free", "low_cost"),
        categories=("haircut",),
        residents=("elderly_alone", "disability"),
        modes=("home_visit", "service_point"),
        summary="行动不便的老人和残疾人可以预约理发师上门理发。",
        eligibility="",
        documents=(),
        ages=(None, None),
        price=(5, 15, "次", "成本价"),
    ),
    ServiceTopic(
        slug="visiting",
        name="关爱探访",
        kind="mutual_aid",
        fee_modes=("free",),
        categories=("visiting", "seniors_helping_seniors"),
        residents=("elderly_alone",),
        modes=("home_visit", "hotline"),
        summary="志愿者和低龄老人每周上门看望独居、高龄老人，陪聊天、帮小忙。",
        eligibility="独居、空巢和80岁以上的老人，本人或家属同意即可。",
        documents=(),
        ages=(80, None),
    ),
    ServiceTopic(
        slug="neighbour-help",
        name="邻里帮扶",
        kind="mutual_aid",
        fee_modes=("free",),
        categories=("neighbour_help",),
        residents=("elderly_alone", "disability"),
        modes=("home_visit", "hotline"),
        summary="邻居志愿者帮忙代买菜、代取药、代办小事，打电话登记就行。",
    ),
    ServiceTopic(
        slug="bill-payment",
        name="代缴水电燃气费",
        kind="public",
        fee_modes=("free",),
        categories=("bill_payment",),
        residents=("elderly", "all"),
        modes=("service_point",),
        summary="不会用手机缴费的老人，可以在{hall}窗口代缴水费、电费和燃气费。",
    ),
    ServiceTopic(
        slug="parking",
        name="共享停车位",
        kind="commercial",
        fee_modes=("paid",),
        categories=("parking",),
        residents=("all",),
        modes=("device", "service_point"),
        summary="{place}夜间共享车位，晚7点到早8点停放，每月{price}元。",
        eligibility="本社区有车居民，每户限一个车位。",
        documents=("id", "lease"),
        ages=(None, None),
        price=(150, 400, "月", "夜间月租"),
    ),
    ServiceTopic(
        slug="library",
        name="社区图书室",
        kind="public",
        fee_modes=("free",),
        categories=("library",),
        residents=("all", "children"),
        modes=("service_point",),
        summary="{place}图书室免费看书借书，每人一次可借三本，还有儿童绘本区。",
    ),
    ServiceTopic(
        slug="anti-fraud",
        name="防诈骗咨询",
        kind="public",
        fee_modes=("free",),
        categories=("anti_fraud",),
        residents=("elderly", "all"),
        modes=("service_point", "hotline"),
        summary="接到可疑电话、短信，拿不准时先打{phone}问一问，民警和网格员帮您判断。",
    ),
    ServiceTopic(
        slug="heating-subsidy",
        name="采暖补贴申请",
        kind="public",
        fee_modes=("free",),
        categories=("heating_subsidy",),
        residents=("low_income", "elderly"),
        modes=("service_point",),
        summary="低保、特困家庭冬季取暖可以申请采暖补贴，每年10月集中受理。",
        eligibility="持低保证或特困供养证的家庭。",
        documents=("id", "low_income", "bank"),
    ),
    ServiceTopic(
        slug="entitled-care",
        name="优抚对象补助",
        kind="public",
        fee_modes=("free",),
        categories=("entitled_care",),
        residents=("entitled",),
        modes=("service_point",),
        summary="军烈属、伤残军人和退役军人的抚恤补助、优待，在{hall}办理。",
        eligibility="在本街道居住的优抚对象。",
        documents=("id", "veteran", "bank"),
    ),
    ServiceTopic(
        slug="flu-vaccine",
        name="流感疫苗接种",
        kind="public",
        fee_modes=("free", "low_cost"),
        categories=("vaccination",),
        residents=("elderly", "children", "all"),
        modes=("service_point",),
        summary="社区卫生服务站接种流感疫苗，60岁以上老人免费，其他居民自费。",
        eligibility="",
        documents=("id", "insurance"),
        ages=(None, None),
        price=(60, 130, "剂", "自费人群"),
    ),
)

SERVICE_SUFFIXES = ("", "（{area}）", "（第{n}服务点）", "·{area}{n}号楼", "（{n}号窗口）")

STEPS = {
    "apply": (
        ("咨询", "打电话或到{hall}问清楚条件和要带的材料。"),
        ("提交申请", "带齐材料到{hall}窗口填写申请表，工作人员当场核对。"),
        ("审核", "{days}个工作日内审核，必要时入户了解情况。"),
        ("办结", "审核通过后短信通知；不通过的会说明理由。"),
    ),
    "book": (
        ("预约", "拨打{phone}或到{hall}登记，说好需要的时间。"),
        ("服务", "服务人员按约定时间到达，上门时出示工作证。"),
        ("付款评价", "服务结束后当面付款或刷卡，可以在服务站评价。"),
    ),
    "help": (
        ("登记需求", "本人或家属打{phone}，说明需要帮什么忙。"),
        ("志愿者对接", "社区安排附近的志愿者，一般两天内联系您。"),
        ("回访", "社区工作人员定期回访，听取意见。"),
    ),
}

SERVICE_PARAGRAPHS = (
    "{place}的{topic}由{hall}统一受理，工作日上午8点半到11点半、下午1点半到5点都可以办理。",
    "第一次来办的居民，可以先打电话{phone}问清楚，免得跑第二趟。",
    "行动不便的老人和残疾人，可以请家属代办，也可以请网格员上门帮忙。",
    "收费标准在服务站门口公示，没有其他隐性收费；对服务不满意可以打{phone}反映。",
    "{year}年起，{topic}纳入街道“一件事一次办”，材料齐全的当场受理。",
)

NOTICE_TOPICS = (
    NoticeTopic(
        slug="water-outage",
        title="关于{place}{area}{n}号楼临时停水的通知",
        summary="因管道抢修，{area}{n}号楼{date}上午8点到下午6点停水，请提前储水。",
        body=(
            "因地下供水管道老化漏水，自来水公司将对{area}{n}号楼供水管线进行抢修。",
            "停水期间楼下设临时供水点。独居老人需要送水的，请打{phone}，志愿者送水上门。",
        ),
        residents=("all", "elderly_alone"),
        urgent=True,
    ),
    NoticeTopic(
        slug="power-outage",
        title="{place}{area}计划停电通知",
        summary="供电公司检修线路，{area}{date}上午9点到下午4点停电，请提前做好准备。",
        body=(
            "为保障冬季用电安全，供电公司将对{area}的配电线路进行检修。",
            "停电期间电梯停运，请尽量不要外出；家中有用电医疗设备的居民请提前打{phone}登记。",
        ),
        residents=("all", "elderly_alone", "disability"),
        urgent=True,
    ),
    NoticeTopic(
        slug="cold-wave",
        title="寒潮蓝色预警：请做好防寒防冻",
        summary="{date}起有强降温，最低气温零下10度，请老人减少外出，注意水管防冻。",
        body=(
            "气象台发布寒潮蓝色预警，{date}起气温明显下降并伴有大风。",
            "网格员将上门看望独居老人。家中暖气不热或水管冻裂的，请打{phone}。",
        ),
        residents=("all", "elderly_alone"),
        urgent=True,
    ),
    NoticeTopic(
        slug="rainstorm",
        title="暴雨预警：低洼院落请注意防汛",
        summary="{date}有暴雨，{area}平房和地下室住户请做好防汛，必要时到{hall}临时安置。",
        body=(
            "气象台发布暴雨橙色预警。{area}平房院落和地下室请提前清理排水口，把贵重物品放高。",
            "{hall}已准备临时安置点和应急物资，需要帮助的请打{phone}。",
        ),
        residents=("all", "elderly_alone", "disability"),
        urgent=True,
    ),
    NoticeTopic(
        slug="low-income-review",
        title="{place}关于开展{year}年度低保家庭复核的通知",
        summary="{date}至{until}开展低保年度复核，请低保家庭带收入证明到{hall}办理。",
        body=(
            "根据本市低保管理办法，街道对在保家庭开展年度复核，核实家庭人口、收入和财产变化。",
            "请低保家庭在规定时间内带户口簿、身份证和近6个月收入证明到{hall}办理。逾期不复核的将暂停发放。",
        ),
        residents=("low_income",),
    ),
    NoticeTopic(
        slug="age-allowance",
        title="{place}{year}年第{quarter}季度高龄津贴发放通知",
        summary="本季度高龄津贴{date}起发放到老人社保卡，请80岁以上老人留意到账情况。",
        body=(
            "80至89岁老人每月100元，90至99岁每月500元，100岁以上每月800元。",
            "首次申领的老人请带身份证和社保卡到{hall}登记。到账有问题请打{phone}。",
        ),
        residents=("elderly", "elderly_alone"),
    ),
    NoticeTopic(
        slug="flu-vaccine",
        title="{place}关于开展{year}年流感疫苗接种的通知",
        summary="{date}起社区卫生服务站开始接种流感疫苗，60岁以上老人免费，请带身份证。",
        body=(
            "流感高发季节即将到来，接种疫苗是预防流感最有效的办法。",
            "接种时间为工作日上午8点到11点。发烧、急性病发作期间请暂缓接种。",
        ),
        residents=("elderly", "children", "all"),
    ),
    NoticeTopic(
        slug="medical-insurance",
        title="{place}关于{year}年度城乡居民医保集中缴费的通知",
        summary="{date}至{until}为城乡居民医保集中缴费期，逾期缴费将有待遇等待期。",
        body=(
            "城乡居民医保按年缴费，老年人、学生儿童、劳动年龄内居民的个人缴费标准不同。",
            "可以在手机上缴费，也可以到{hall}窗口办理。低保、特困人员个人缴费部分由政府资助。",
        ),
        residents=("all", "children", "elderly"),
    ),
    NoticeTopic(
        slug="job-training-enrol",
        title="{place}{year}年第{n}期再就业技能培训报名",
        summary="本期开设育婴员、养老护理员、电工培训，免费参加，{until}前到{hall}报名。",
        body=(
            "培训由街道劳动保障事务所组织，结业后发证书，并推荐对口岗位。",
            "请带身份证、失业登记证明和照片报名。名额有限，报满为止。",
        ),
        residents=("job_seeker", "migrant"),
    ),
    NoticeTopic(
        slug="fraud-warning",
        title="防范养老诈骗提醒",
        summary="近期有人以“以房养老”“保健品免费体验”骗老人钱财，遇到可疑情况请打{phone}。",
        body=(
            "近期本市发生多起以投资养老项目、免费旅游、保健品体验为名的诈骗案件。",
            "请老人不轻信、不转账，子女要多提醒家里老人。遇到可疑情况可以先问网格员。",
        ),
        residents=("elderly", "elderly_alone", "all"),
    ),
    NoticeTopic(
        slug="holiday-hours",
        title="{place}春节期间服务时间调整",
        summary="春节假期{hall}暂停窗口服务，{until}起恢复。急事请打值班电话{phone}。",
        body=(
            "节日期间街道和社区安排值班，紧急情况可以随时打值班电话。",
            "长者饭堂节日期间照常开放，菜品和开饭时间在饭堂门口公示。",
        ),
        residents=("all",),
    ),
    NoticeTopic(
        slug="elevator-repair",
        title="{place}{area}{n}号楼电梯维修通知",
        summary="{area}{n}号楼电梯{date}起维修，预计{until}恢复，需要帮助的老人请打{phone}。",
        body=(
            "电梯维保单位检查发现曳引机磨损，需要更换部件。维修期间电梯停运。",
            "高层独居老人需要送餐、送水的，请提前和居委会联系。",
        ),
        residents=("all", "elderly_alone", "disability"),
    ),
    NoticeTopic(
        slug="fire-check",
        title="{place}冬季消防安全入户检查通知",
        summary="{date}至{until}网格员和消防志愿者入户检查用电用气安全，请配合。",
        body=(
            "冬季是火灾高发季节。检查人员佩戴工作证，不收任何费用，不推销任何产品。",
            "楼道内请不要堆放杂物，电动自行车不要进楼充电。",
        ),
        residents=("all",),
    ),
    NoticeTopic(
        slug="garbage-sorting",
        title="关于{place}{area}调整垃圾分类投放时间的通知",
        summary="自{date}起，{area}垃圾桶站定时投放时间调整为早7点到9点、晚6点到8点。",
        body=(
            "为了减少异味、方便清运，{place}对{area}的垃圾桶站实行定时定点投放。",
            "大件垃圾和装修垃圾请提前打{phone}预约清运。",
        ),
        residents=("all",),
    ),
    NoticeTopic(
        slug="heating-subsidy",
        title="{place}{year}年度困难家庭采暖补贴申请通知",
        summary="低保、特困家庭{date}至{until}可以到{hall}申请本年度采暖补贴。",
        body=(
            "补贴标准按住房面积计算，审核通过后一次性发放到申请人银行卡。",
            "请带身份证、低保证或特困供养证和银行卡办理。",
        ),
        residents=("low_income", "elderly"),
    ),
)

NOTICE_ISSUERS = ("government", "committee", "station")

DOCUMENT_NUMBER = "{short}发〔{year}〕{n}号"

EVENT_TOPICS = (
    EventTopic(
        slug="health-lecture",
        title="{variant}健康讲座",
        event_type="health",
        summary="社区卫生服务站医生讲{variant}，讲完免费量血压、测血糖。",
        body=(
            "本期请社区卫生服务站的全科医生讲{variant}的日常注意事项，讲座约一个小时。",
            "讲座后现场免费量血压、测血糖，可以带上最近的化验单请医生看看。",
        ),
        residents=("elderly", "all"),
        variants=("高血压防治", "糖尿病饮食", "冬季养生", "老年人防跌倒", "骨质疏松预防"),
    ),
    EventTopic(
        slug="old-songs",
        title="老歌大家唱",
        event_type="arts",
        summary="跟着合唱队一起唱老歌，有歌词大屏幕，欢迎老人带家人参加。",
        body=(
            "每期选十首左右的老歌，合唱队老师带着大家练。",
            "不会唱也没关系，来听听、聊聊天也好。",
        ),
        residents=("elderly", "all"),
    ),
    EventTopic(
        slug="calligraphy",
        title="书法班",
        event_type="arts",
        summary="书法老师手把手教写毛笔字，笔墨纸砚由社区提供。",
        body=("书法班每周一次，从基本笔画学起，适合零基础的居民。", "学员作品将在春节前办展览。"),
        residents=("elderly", "all"),
        variants=("（初级班）", "（提高班）"),
        fee=(0, 20),
    ),
    EventTopic(
        slug="square-dance",
        title="广场舞展演",
        event_type="sports",
        summary="各社区广场舞队同台展演，欢迎居民来看、来跳。",
        body=(
            "每支队伍表演两支舞，现场评出最佳编排、最佳精神风貌。",
            "活动结束后请大家把垃圾带走。",
        ),
        residents=("elderly", "all"),
    ),
    EventTopic(
        slug="chess",
        title="象棋比赛",
        event_type="sports",
        summary="{place}象棋比赛，淘汰赛制，前三名有奖品。",
        body=("比赛采用淘汰赛制，每盘限时30分钟。", "棋具由社区提供，观棋不语。"),
        residents=("elderly", "all"),
        variants=("", "（少儿组）"),
    ),
    EventTopic(
        slug="tai-chi",
        title="太极拳晨练",
        event_type="sports",
        summary="每天早上跟老师练24式太极拳，强身健体。",
        body=(
            "太极拳队由退休体育老师带练，新学员先学基本动作。",
            "雨雪天气暂停，请关注居委会通知。",
        ),
        residents=("elderly",),
    ),
    EventTopic(
        slug="family-reading",
        title="亲子阅读会",
        event_type="children",
        summary="志愿者老师带孩子和家长一起读绘本、做手工。",
        body=("每期选一本绘本，读完后一起做手工。", "适合3到8岁的孩子，请家长陪同参加。"),
        residents=("children",),
    ),
    EventTopic(
        slug="kids-drawing",
        title="少儿绘画班",
        event_type="children",
        summary="美术老师教孩子画画，画材由社区提供，作品可以带回家。",
        body=("本期主题是“我的社区”，画出孩子眼中的街道和邻居。", "优秀作品将在社区文化墙展出。"),
        residents=("children", "migrant"),
        variants=("", "（暑期班）", "（寒假班）"),
        fee=(0, 30),
    ),
    EventTopic(
        slug="free-clinic",
        title="便民义诊",
        event_type="health",
        summary="三甲医院专家到社区义诊，内科、眼科、口腔科免费看。",
        body=("专家现场看诊、答疑，不开处方、不卖药。", "行动不便的老人可以请网格员帮忙接送。"),
        residents=("elderly", "disability", "all"),
    ),
    EventTopic(
        slug="anti-fraud-talk",
        title="防诈骗讲座",
        event_type="lecture",
        summary="派出所民警讲最新诈骗手法，教老人识别骗局。",
        body=(
            "民警结合真实案例，讲冒充公检法、保健品、以房养老等常见骗局。",
            "现场帮大家在手机上安装反诈应用。",
        ),
        residents=("elderly", "all"),
    ),
    EventTopic(
        slug="smartphone-class",
        title="智能手机课堂",
        event_type="lecture",
        summary="志愿者一对一教老人用手机挂号、缴费、视频通话。",
        body=("本期内容是{variant}，请带上自己的手机。", "学不会可以下次再来，志愿者耐心教。"),
        residents=("elderly",),
        variants=("手机挂号", "扫码缴费", "视频通话", "防骗设置"),
    ),
    EventTopic(
        slug="mid-autumn",
        title="中秋游园会",
        event_type="festival",
        summary="猜灯谜、做月饼、看表演，全家一起来过中秋。",
        body=("游园会设猜灯谜、做月饼、套圈等摊位。", "80岁以上老人可以领一份月饼。"),
        residents=("all", "children", "elderly"),
    ),
    EventTopic(
        slug="dumplings",
        title="端午包粽子",
        event_type="festival",
        summary="邻里一起包粽子，包好的粽子送给独居老人。",
        body=(
            "糯米、粽叶由社区准备，欢迎会包粽子的居民来当老师。",
            "包好的粽子由志愿者送给独居老人。",
        ),
        residents=("all", "elderly_alone"),
    ),
    EventTopic(
        slug="spring-couplets",
        title="写春联送福字",
        event_type="festival",
        summary="书法家现场写春联、送福字，每户限领一副。",
        body=("书法协会的老师现场写春联，可以点内容。", "每户限领一副春联、一个福字。"),
        residents=("all",),
    ),
    EventTopic(
        slug="clean-up",
        title="志愿者清洁日",
        event_type="volunteering",
        summary="一起清理楼道杂物和小广告，参加的居民记志愿服务时长。",
        body=("手套、工具由社区提供。", "参加的居民可以记志愿服务时长，兑换积分礼品。"),
        residents=("all",),
    ),
    EventTopic(
        slug="open-air-film",
        title="露天电影",
        event_type="other",
        summary="晚上在{place}广场放露天电影，自带小板凳。",
        body=("本期放映的是一部老电影，欢迎全家来看。", "雨天改在活动室放映。"),
        residents=("all", "children", "elderly"),
    ),
    EventTopic(
        slug="law-talk",
        title="普法讲座",
        event_type="lecture",
        summary="律师讲{variant}，讲完现场答疑。",
        body=("司法所邀请执业律师讲{variant}中的常见问题。", "讲座后可以一对一咨询，免费。"),
        residents=("all", "elderly"),
        variants=("遗嘱与继承", "赡养纠纷", "租房合同", "劳动合同"),
    ),
)

EVENT_VENUE_ADDRESSES = ("{place}文化广场", "{place}{area}小花园", "{place}党群服务中心二层")

CANCEL_REASONS = (
    "主讲老师临时有事，本期取消，下期时间另行通知。",
    "活动场地需要维修，本期活动取消。",
    "报名人数不足，本期取消，已报名的居民由居委会电话通知。",
    "因天气原因，为了安全取消本次活动。",
)

POSTPONE_REASONS = (
    "因降雨延期，新的时间在居委会公告栏公布。",
    "与其他活动时间冲突，延期一周举行。",
)

REGISTRATION_HOW = (
    "拨打{phone}报名，或到{hall}前台登记。",
    "在社区居民群里接龙报名，报满为止。",
    "到{hall}登记姓名和电话。",
)

GENERAL_PARAGRAPHS = (
    "如有疑问，请拨打{phone}咨询（工作日8:30—17:00）。",
    "行动不便的居民可以请家属代办，或打电话请网格员上门帮助。",
    "请相互转告家中老人。",
)

CALLOUTS = (
    "请携带身份证原件，代办的还要带代办人身份证。",
    "工作人员不会上门收费，也不会要求转账，谨防诈骗。",
    "名额有限，以报名先后为准。",
)
