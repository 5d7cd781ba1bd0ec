"""National codes of school–enterprise cooperation and employment.

- Industries: GB/T 4754-2017 《国民经济行业分类》, its 20 sections (门类 A–T).
- Graduate destinations: the 毕业去向代码 of the Ministry of Education's graduate employment
  information system (全国高校毕业生就业管理信息系统, 2021 edition of the code table). Codes
  70–72 are the destinations that do not count as placed (未落实) in the destination rate
  (去向落实率).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Industry(models.TextChoices):
    """GB/T 4754-2017 门类."""

    A = "A", _("Agriculture, forestry, animal husbandry and fishery")
    B = "B", _("Mining")
    C = "C", _("Manufacturing")
    D = "D", _("Electricity, heat, gas and water supply")
    E = "E", _("Construction")
    F = "F", _("Wholesale and retail trade")
    G = "G", _("Transport, storage and postal services")
    H = "H", _("Accommodation and catering")
    I = "I", _("Information transmission, software and IT services")  # noqa: E741
    J = "J", _("Finance")
    K = "K", _("Real estate")
    L = "L", _("Leasing and business services")
    M = "M", _("Scientific research and technical services")
    N = "N", _("Water conservancy, environment and public facilities management")
    O = "O", _("Resident services, repair and other services")  # noqa: E741
    P = "P", _("Education")
    Q = "Q", _("Health and social work")
    R = "R", _("Culture, sports and entertainment")
    S = "S", _("Public administration, social security and social organisations")
    T = "T", _("International organisations")


class EnterpriseSize(models.TextChoices):
    """Size classes of 《统计上大中小微型企业划分办法（2017）》."""

    LARGE = "large", pgettext_lazy("enterprise size", "Large")
    MEDIUM = "medium", pgettext_lazy("enterprise size", "Medium")
    SMALL = "small", pgettext_lazy("enterprise size", "Small")
    MICRO = "micro", pgettext_lazy("enterprise size", "Micro")


class Destination(models.TextChoices):
    """毕业去向代码 (Ministry of Education graduate employment information system)."""

    AGREEMENT = "10", _("Employed under an employment agreement")
    CONTRACT = "11", _("Employed under a labour contract")
    OTHER_HIRE = "12", _("Employed in another form")
    ENLISTED = "46", _("Enlisted in the army")
    NATIONAL_GRASSROOTS = "50", _("National grassroots programme")
    LOCAL_GRASSROOTS = "51", _("Local grassroots programme")
    SELF_EMPLOYED = "75", _("Self-employed (own business)")
    FLEXIBLE = "76", _("Flexible employment")
    FURTHER_STUDY = "85", _("Further study in China")
    STUDY_ABROAD = "86", _("Study abroad")
    SEEKING = "70", _("Not yet employed")
    PREPARING_STUDY = "71", _("Not seeking work, preparing for further study")
    OTHER_UNEMPLOYED = "72", _("Not employed for other reasons")


NOT_PLACED = frozenset(
    {Destination.SEEKING, Destination.PREPARING_STUDY, Destination.OTHER_UNEMPLOYED}
)


class SalaryBand(models.TextChoices):
    UNDER_3000 = "lt3000", _("Under 3,000 yuan a month")
    FROM_3000 = "3000", _("3,000–4,999 yuan a month")
    FROM_5000 = "5000", _("5,000–7,999 yuan a month")
    FROM_8000 = "8000", _("8,000 yuan a month or more")
