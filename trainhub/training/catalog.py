"""The codes of the training domain and the rules that tie them to base certification.
Pure: no database, no Flask; labels live in display.py."""

from __future__ import annotations

from enum import StrEnum


class Category(StrEnum):
    MASSAGE = "massage"                              # 盲人按摩 / 保健按摩
    HERITAGE_CERAMICS = "heritage_ceramics"          # 陶瓷
    HERITAGE_PORCELAIN = "heritage_porcelain"        # 瓷板画
    HERITAGE_GAN_EMBROIDERY = "heritage_gan_embroidery"    # 赣绣
    HERITAGE_XUAN_EMBROIDERY = "heritage_xuan_embroidery"  # 宣纸绣
    HERITAGE_BAMBOO = "heritage_bamboo"              # 竹编
    ECOMMERCE_SERVICE = "ecommerce_service"          # 电商客服
    ECOMMERCE_DESIGN = "ecommerce_design"            # 电商美工设计
    ECOMMERCE_OPERATIONS = "ecommerce_operations"    # 电商运营
    LIVESTREAMING = "livestreaming"                  # 直播带货
    HANDICRAFT = "handicraft"                        # 手工制作
    AGRICULTURE = "agriculture"                      # 种植养殖
    COMPUTER = "computer"                            # 计算机操作
    DOMESTIC = "domestic"                            # 家政服务
    OTHER = "other"


# The base specialty a category needs (bases.models.SPECIALTIES).
SPECIALTY_OF: dict[str, str] = {
    Category.MASSAGE: "massage",
    Category.HERITAGE_CERAMICS: "intangible_heritage",
    Category.HERITAGE_PORCELAIN: "intangible_heritage",
    Category.HERITAGE_GAN_EMBROIDERY: "intangible_heritage",
    Category.HERITAGE_XUAN_EMBROIDERY: "intangible_heritage",
    Category.HERITAGE_BAMBOO: "intangible_heritage",
    Category.ECOMMERCE_SERVICE: "ecommerce",
    Category.ECOMMERCE_DESIGN: "ecommerce",
    Category.ECOMMERCE_OPERATIONS: "ecommerce",
    Category.LIVESTREAMING: "livestreaming",
    Category.HANDICRAFT: "handicraft",
    Category.AGRICULTURE: "agriculture",
    Category.COMPUTER: "general",
    Category.DOMESTIC: "general",
    Category.OTHER: "general",
}


class TrainingType(StrEnum):
    EMPLOYMENT_SKILLS = "employment_skills"   # 就业技能培训
    PRE_JOB = "pre_job"                       # 岗前技能培训
    UPGRADING = "upgrading"                   # 岗位技能提升培训
    ENTREPRENEURSHIP = "entrepreneurship"     # 创业创新培训


class CertificateType(StrEnum):
    QUALIFICATION = "qualification"       # 职业资格证书
    SKILL_LEVEL = "skill_level"           # 职业技能等级证书
    SPECIAL_ABILITY = "special_ability"   # 专项职业能力证书
    TRAINING = "training"                 # 培训合格证书


# Types that carry a level (五级/初级 … 一级/高级技师); the others have none.
LEVELLED_TYPES = (CertificateType.QUALIFICATION, CertificateType.SKILL_LEVEL)


class CertificateLevel(StrEnum):
    JUNIOR = "junior"                         # 五级/初级工
    INTERMEDIATE = "intermediate"             # 四级/中级工
    SENIOR = "senior"                         # 三级/高级工
    TECHNICIAN = "technician"                 # 二级/技师
    SENIOR_TECHNICIAN = "senior_technician"   # 一级/高级技师


class Delivery(StrEnum):
    IN_PERSON = "in_person"
    ONLINE = "online"
    MIXED = "mixed"


class SessionMode(StrEnum):
    IN_PERSON = "in_person"
    ONLINE = "online"


class DeliveryModel(StrEnum):
    PROJECT = "project"   # 项目制
    ORDER = "order"       # 订单式
    PACKAGE = "package"   # 套餐制


class Provision(StrEnum):
    SIGN_LANGUAGE = "sign_language"
    BRAILLE = "braille"
    LARGE_PRINT = "large_print"
    SCREEN_READER = "screen_reader"
    STEP_FREE = "step_free"


class Admission(StrEnum):
    AUTO = "auto"       # admitted in order of application while seats remain
    MANUAL = "manual"   # staff admit or decline each application


MAX_CAPACITY = 500


class BatchStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    REJECTED = "rejected"
    APPROVED = "approved"
    ENROLLING = "enrolling"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    SETTLED = "settled"
    CANCELLED = "cancelled"


EDITABLE_BATCH = (BatchStatus.DRAFT, BatchStatus.RETURNED)
# A batch can be cancelled until it starts.
CANCELLABLE_BATCH = (BatchStatus.DRAFT, BatchStatus.SUBMITTED, BatchStatus.RETURNED,
                     BatchStatus.APPROVED, BatchStatus.ENROLLING)


class EnrolmentStatus(StrEnum):
    APPLIED = "applied"     # waiting for the institution's decision (manual admission)
    WAITING = "waiting"     # on the waiting list, promoted in order when a seat frees
    ADMITTED = "admitted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


ACTIVE_ENROLMENT = (EnrolmentStatus.APPLIED, EnrolmentStatus.WAITING, EnrolmentStatus.ADMITTED)


class AttendanceStatus(StrEnum):
    PRESENT = "present"
    LATE = "late"
    EXCUSED = "excused"
    ABSENT = "absent"


# Present and late count as attended (DESIGN §5, precise readings).
ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)


class EmploymentForm(StrEnum):
    QUOTA = "quota"                   # 按比例就业
    CONCENTRATED = "concentrated"     # 集中就业
    SELF_EMPLOYED = "self_employed"   # 个体就业
    FLEXIBLE = "flexible"             # 灵活就业
    PUBLIC_WELFARE = "public_welfare"  # 公益性岗位
    SUPPORTED = "supported"           # 辅助性就业


class DemandStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


def required_specialty(category: str) -> str:
    return SPECIALTY_OF[category]


def values(enum: type[StrEnum]) -> list[str]:
    return [member.value for member in enum]
