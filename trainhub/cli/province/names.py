"""Words of the generated province: people's names (surnames by frequency, given-name
characters by sex), organisations, occupations and course titles. Pure data and pure
functions of a `random.Random`."""

from __future__ import annotations

import random
from itertools import accumulate

# Surnames with their approximate share (per mille) in Jiangxi: the national top of the 2020
# census, with the surnames common in Jiangxi (刘, 胡, 熊, 万, 涂, 邹, 钟, 赖, 曾, 廖, 龚…) raised.
SURNAMES: tuple[tuple[str, float], ...] = (
    ("刘", 62), ("李", 55), ("王", 52), ("陈", 50), ("张", 45), ("黄", 32), ("胡", 30),
    ("吴", 28), ("杨", 22), ("徐", 20), ("罗", 20), ("周", 19), ("曾", 18), ("彭", 17),
    ("熊", 17), ("朱", 16), ("邹", 15), ("肖", 15), ("钟", 15), ("万", 14), ("龚", 12),
    ("赖", 12), ("廖", 12), ("郭", 11), ("谢", 11), ("何", 11), ("邓", 11), ("余", 11),
    ("涂", 10), ("付", 10), ("赵", 10), ("孙", 9), ("汪", 9), ("饶", 9), ("叶", 9),
    ("程", 9), ("袁", 8), ("江", 8), ("蔡", 8), ("杜", 7), ("宋", 7), ("章", 7), ("邱", 7),
    ("温", 7), ("丁", 6), ("林", 6), ("高", 6), ("魏", 6), ("游", 5), ("钱", 5), ("姚", 5),
    ("傅", 5), ("欧阳", 5), ("聂", 5), ("舒", 5), ("喻", 5), ("揭", 3), ("卢", 5), ("雷", 5),
    ("方", 5), ("戴", 5), ("潘", 4), ("严", 4), ("夏", 4), ("晏", 3), ("简", 3),
    ("黎", 4), ("漆", 3), ("甘", 3), ("艾", 3), ("桂", 3), ("盛", 3), ("危", 2), ("帅", 2),
    ("况", 2), ("邬", 2), ("上官", 1), ("司马", 1), ("诸葛", 1),
)
_SURNAME_WORDS = [s for s, _ in SURNAMES]
_SURNAME_CUMULATIVE = list(accumulate(w for _, w in SURNAMES))

GIVEN_MALE = ("伟", "强", "军", "勇", "杰", "涛", "斌", "明", "辉", "刚", "华", "建", "平",
              "志", "国", "文", "俊", "峰", "磊", "超", "鹏", "亮", "波", "海", "林", "宇",
              "浩", "晨", "龙", "飞", "兵", "清", "荣", "生", "金", "根", "水", "发", "新",
              "德", "福", "春", "永", "红", "东", "昌", "锋", "凯", "旭", "振", "宏", "晓")
GIVEN_FEMALE = ("芳", "娟", "敏", "静", "丽", "艳", "燕", "霞", "玲", "英", "秀", "萍", "红",
                "梅", "琴", "兰", "凤", "春", "婷", "雪", "慧", "莉", "华", "琳", "洁", "颖",
                "倩", "晶", "珍", "云", "平", "桂", "香", "小", "佳", "欣", "怡", "文", "月",
                "青", "娇", "美", "荣", "金", "晓", "丹", "蓉", "媛", "莹", "露", "雅", "思")


def surname(rng: random.Random) -> str:
    return rng.choices(_SURNAME_WORDS, cum_weights=_SURNAME_CUMULATIVE)[0]


def person_name(rng: random.Random, sex: str) -> str:
    """A surname by frequency and one or two given-name characters (two in four of five)."""
    chars = GIVEN_MALE if sex == "M" else GIVEN_FEMALE
    given = rng.choice(chars)
    if rng.random() < 0.8:
        second = rng.choice(chars)
        if second != given or rng.random() < 0.3:  # 婷婷, 磊磊: doubled, now and then
            given += second
    return surname(rng) + given


def short_region(name: str) -> str:
    """南昌县 → 南昌, 东湖区 → 东湖, 瑞金市 → 瑞金; two-character names stay whole."""
    if len(name) > 2 and name[-1] in "县区市":
        return name[:-1]
    return name


# --- organisations ---------------------------------------------------------------------

INSTITUTION_WORDS = ("阳光", "启明", "博爱", "春晖", "新航", "众康", "明德", "致远", "立人",
                     "同心", "自强", "希望", "红星", "赣鄱", "新时代", "惠民", "仁和", "德众",
                     "金桥", "聚力", "益民", "康乐", "育才", "东方", "开元", "华信", "德胜")
INSTITUTION_KINDS = {
    "school": ("职业技能培训学校", "职业培训学校", "残疾人职业技能培训中心", "盲人按摩培训学校",
               "技工学校", "职业学校"),
    "company": ("电子商务有限公司", "网络科技有限公司", "文化传媒有限公司", "陶瓷文化有限公司",
                "工艺品有限公司", "健康管理有限公司", "农业开发有限公司"),
    "ngo": ("残疾人服务中心", "阳光家园", "社会工作服务中心", "残疾人创业服务中心",
            "非遗传习所", "助残服务社"),
}
ENTERPRISE_KINDS = ("电子商务有限公司", "保健按摩有限公司", "服饰有限公司", "食品有限公司",
                    "物流有限公司", "网络科技有限公司", "陶瓷有限公司", "家政服务有限公司",
                    "文化传媒有限公司", "农业发展有限公司", "酒店管理有限公司", "电子有限公司")
STREETS = ("人民路", "解放路", "中山路", "建设路", "八一大道", "胜利路", "文化路", "新华路",
           "广场路", "红旗大道", "赣江路", "滨江路", "阳明路", "北京路", "民主路", "青年路")


def institution_name(rng: random.Random, place: str, org_type: str) -> str:
    return f"{place}{rng.choice(INSTITUTION_WORDS)}{rng.choice(INSTITUTION_KINDS[org_type])}"


def enterprise_name(rng: random.Random, place: str) -> str:
    return f"{place}{rng.choice(INSTITUTION_WORDS)}{rng.choice(ENTERPRISE_KINDS)}"


def address(rng: random.Random, city: str, county: str) -> str:
    return f"{city}{county}{rng.choice(STREETS)} {rng.randint(1, 399)} 号"


def phone(rng: random.Random) -> str:
    return f"1{rng.choice('35789')}{rng.randint(0, 999_999_999):09d}"


# --- courses ---------------------------------------------------------------------------

# Chinese words of each training category (catalog.Category), for titles and occupations.
CATEGORY_WORDS = {
    "massage": "盲人保健按摩", "heritage_ceramics": "陶瓷技艺", "heritage_porcelain": "瓷板画",
    "heritage_gan_embroidery": "赣绣", "heritage_xuan_embroidery": "宣纸绣",
    "heritage_bamboo": "竹编技艺", "ecommerce_service": "电商客服",
    "ecommerce_design": "电商美工设计", "ecommerce_operations": "电商运营",
    "livestreaming": "直播带货", "handicraft": "手工制作", "agriculture": "特色种植养殖",
    "computer": "计算机操作", "domestic": "家政服务", "other": "面点制作",
}
OCCUPATIONS = {
    "massage": ("保健按摩师", "盲人医疗按摩人员", "足部按摩师"),
    "heritage_ceramics": ("陶瓷工艺师", "陶瓷彩绘工"),
    "heritage_porcelain": ("瓷板画工艺师",),
    "heritage_gan_embroidery": ("刺绣工艺师",),
    "heritage_xuan_embroidery": ("刺绣工艺师", "宣纸绣工"),
    "heritage_bamboo": ("竹编工艺师", "竹藤编织工"),
    "ecommerce_service": ("网店客服", "电子商务师"),
    "ecommerce_design": ("电子商务师", "网店美工"),
    "ecommerce_operations": ("电子商务师", "互联网营销师"),
    "livestreaming": ("互联网营销师", "直播销售员"),
    "handicraft": ("手工编织工", "串珠工艺师"),
    "agriculture": ("农业技术员", "家禽饲养员", "食用菌生产工"),
    "computer": ("计算机操作员", "数据标注员"),
    "domestic": ("家政服务员", "养老护理员"),
    "other": ("中式面点师", "西式面点师", "洗衣师"),
}
TOPICS = {
    "massage": ("人体解剖基础", "经络腧穴", "推拿基本手法", "足部反射区", "保健按摩实操",
                "服务礼仪", "消毒与卫生"),
    "ecommerce": ("店铺开设与装修", "商品上架", "客服话术", "订单处理", "数据分析",
                  "图片处理", "营销推广"),
    "livestreaming": ("直播平台规则", "选品与脚本", "镜头表达", "直播间搭建", "复盘与数据"),
    "heritage": ("工艺历史与流派", "材料与工具", "基础技法", "图案设计", "作品创作", "作品点评"),
    "other": ("安全生产", "基础理论", "实操训练", "技能考核辅导", "就业指导"),
}


def topic_family(category: str) -> str:
    if category == "massage":
        return "massage"
    if category.startswith("ecommerce"):
        return "ecommerce"
    if category == "livestreaming":
        return "livestreaming"
    if category.startswith("heritage"):
        return "heritage"
    return "other"


RETURN_COMMENTS = ("请补充场地无障碍设施照片。", "师资材料不完整，请补充教师资格证明。",
                   "培训计划课时安排不合理，请修改后重新提交。")
REJECT_COMMENTS = ("培训场地面积不符合认定条件。", "近一年培训人数未达到认定标准。")
DECLINE_NOTES = ("名额已满，建议报名下一期。", "培训内容与您的就业意向不符，建议选择其他班次。",
                 "未按时提交报名材料。")
REMOVE_NOTES = ("连续缺课超过规定天数。", "本人申请退出，已办理手续。")
REJECTION_REASONS = ("培训结业证书复印件不清晰，请重新提交。", "学员身份信息与档案不一致。",
                     "同一职业同一等级已享受过培训补贴。")
