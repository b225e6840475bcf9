"""Header mapping: which spreadsheet column holds which field, and in what unit.

Project registers (项目库) and monthly progress sheets (月度调度表) head their columns in
Chinese, often with the unit in brackets: "总投资（万元）", "本月完成\\n(万元)". Which header
means which field is data — :data:`DEFAULT_REGISTER_HEADERS`, :data:`DEFAULT_PROGRESS_HEADERS`,
plus whatever a town adds with :meth:`HeaderMap.merge`.

>>> REGISTER_HEADERS.resolve("总投资（万元）")
('total_investment', '万元')
>>> REGISTER_HEADERS.resolve(" 项 目 名 称 ")
('name', None)
>>> REGISTER_HEADERS.resolve("所属村（社区）")
('village', None)
>>> REGISTER_HEADERS.resolve("计划年度"), REGISTER_HEADERS.resolve("所属镇街")
(('plan_year', None), ('town', None))
>>> REGISTER_HEADERS.merge({"工程名称": "name"}).resolve("工程名称")
('name', None)
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Final

import attrs

from townplan.errors import ValidationError
from townplan.model.fields import described
from townplan.model.money import Money
from townplan.model.records import ProgressReport, Project

__all__ = [
    "DEFAULT_PROGRESS_HEADERS",
    "DEFAULT_REGISTER_HEADERS",
    "MONEY_FIELDS",
    "PROGRESS_HEADERS",
    "REGISTER_HEADERS",
    "HeaderMap",
    "is_money_unit",
    "normalise_header",
    "split_unit",
]

#: Register headers that name no field of :class:`~townplan.Project` but that the import
#: reads: 序号 numbers the rows, 起止年限 gives both years, 建设性质 (新建, 续建 …) the stage
#: (see :data:`~townplan.io.sheets.register.NATURE_STAGES`), and a year's plan group
#: ("2013年计划" over 投资 | 主要建设内容) the annual plan.
REGISTER_EXTRA_HEADERS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "序号": "seq",
        "起止年限": "years",
        "建设年限": "years",
        "建设起止年限": "years",
        "项目工期": "years",
        "建设工期": "years",
        "建设性质": "nature",
        "年计划": "annual_plan",
        "年度计划": "annual_plan",
        "本年计划": "annual_plan",
        "本年度计划投资": "annual_plan",
        "本年度计划投资及资金来源": "annual_plan",
    }
)
#: Progress-sheet headers that name no field of :class:`~townplan.ProgressReport`.
PROGRESS_EXTRA_HEADERS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "序号": "seq",
        "项目名称": "name",
        "年度计划投资": "annual_plan",
        "本年完成": "year_to_date",
        "本年累计完成": "year_to_date",
        "本年完成投资": "year_to_date",
    }
)


def _declared(record: type, extra: Mapping[str, str]) -> Mapping[str, str]:
    """Headers → field names: each sheet field's label and header aliases, as declared on
    the model (:mod:`townplan.model.fields`), plus ``extra`` for columns that are no field."""
    found: dict[str, str] = {}
    for info in described(record).infos():
        if info.sheets:
            for header in info.headers:
                found.setdefault(header, info.name)
    return MappingProxyType({**found, **extra})


#: Register (项目库) headers → field names: every header the fields of
#: :class:`~townplan.Project` declare, plus :data:`REGISTER_EXTRA_HEADERS`.
DEFAULT_REGISTER_HEADERS: Final[Mapping[str, str]] = _declared(Project, REGISTER_EXTRA_HEADERS)

#: Monthly progress sheet (月度调度表) headers → field names: the headers the fields of
#: :class:`~townplan.ProgressReport` declare, plus :data:`PROGRESS_EXTRA_HEADERS`.
DEFAULT_PROGRESS_HEADERS: Final[Mapping[str, str]] = _declared(
    ProgressReport, PROGRESS_EXTRA_HEADERS
)

#: Fields whose cells are amounts of money, so whose header unit must be a money unit.
MONEY_FIELDS: Final[frozenset[str]] = frozenset(
    {i.name for r in (Project, ProgressReport) for i in described(r).infos() if i.is_money}
    | {"year_to_date"}
)

_UNIT = re.compile(r"^(?P<base>.+?)[(\[【〔](?P<unit>[^()\[\]【】〔〕]*)[)\]】〕]$")
_UNIT_PREFIX = re.compile(r"^(?:金额)?单位[:]?")
_YEAR_PREFIX = re.compile(r"^\d{4}年(?P<rest>.+)$")


def normalise_header(text: str) -> str:
    """Header text as a key: NFKC (full-width to half-width) with all whitespace removed.

    >>> normalise_header("  总投资\\n（万元） ")
    '总投资(万元)'
    """
    for _ in range(4):  # dropping a space can let NFKC compose again ("A ́" → "Á")
        step = "".join(unicodedata.normalize("NFKC", text).split()).strip("*:")
        if step == text:
            break
        text = step
    return text


def split_unit(text: str) -> tuple[str, str | None]:
    """Split a trailing bracketed unit off a normalised header.

    >>> split_unit("总投资(万元)")
    ('总投资', '万元')
    >>> split_unit("本月完成【单位:亿元】")
    ('本月完成', '亿元')
    >>> split_unit("项目名称")
    ('项目名称', None)
    """
    found = _UNIT.match(text)
    if not found:
        return text, None
    unit = _UNIT_PREFIX.sub("", found["unit"])
    return found["base"], unit or None


def is_money_unit(unit: str) -> bool:
    """Whether :meth:`Money.parse` understands ``unit`` ("万元", "亿美元" …).

    >>> is_money_unit("万元"), is_money_unit("千亿元"), is_money_unit("%")
    (True, False, False)
    """
    try:
        Money.parse("1", unit=unit)
    except ValidationError:
        return False
    return True


def _normalised_mapping(mapping: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType({normalise_header(k): v for k, v in mapping.items()})


def _field_set(fields: Iterable[str]) -> frozenset[str]:
    return frozenset(fields)


@attrs.frozen
class HeaderMap:
    """Header text → field name, plus which fields hold money.

    Keys are compared after :func:`normalise_header`, so "所属村（社区）" and
    "所属村(社区)" are one key.

    >>> hm = HeaderMap({"项目编号": "code", "总投资": "total_investment"})
    >>> hm.resolve("总投资（亿元）")
    ('total_investment', '亿元')
    >>> hm.resolve("不认识")
    (None, None)
    """

    mapping: Mapping[str, str] = attrs.field(converter=_normalised_mapping)
    money_fields: frozenset[str] = attrs.field(default=MONEY_FIELDS, converter=_field_set)
    groups: Mapping[str, str] = attrs.field(factory=dict, converter=_normalised_mapping)

    def merge(
        self,
        user_mapping: Mapping[str, str],
        *,
        money_fields: frozenset[str] = frozenset(),
        groups: Mapping[str, str] | None = None,
    ) -> HeaderMap:
        """A new map with ``user_mapping`` added on top (the user's entries win).

        >>> REGISTER_HEADERS.merge({"项目名称": "title"}).resolve("项目名称")
        ('title', None)
        """
        return HeaderMap(
            {**self.mapping, **_normalised_mapping(user_mapping)},
            self.money_fields | money_fields,
            {**self.groups, **_normalised_mapping(groups or {})},
        )

    def group(self, text: str) -> str | None:
        """The field prefix of a group header whose sub-columns each hold an amount of
        their own ("本年度计划投资及资金来源" over 中央 | 省级 | 市级 …: each column is a
        source of the plan), or ``None``.

        >>> H = HeaderMap({}, groups={"资金来源": "funding:"})
        >>> H.group("资金来源（万元）"), H.group("总投资")
        ('funding:', None)
        """
        key = normalise_header(text)
        return self.groups.get(key) or self.groups.get(split_unit(key)[0])

    @property
    def fields(self) -> frozenset[str]:
        """Every field some header maps to."""
        return frozenset(self.mapping.values())

    def resolve(self, text: str) -> tuple[str | None, str | None]:
        """The field a header cell names and the unit its brackets give, if any.

        A header whose whole text is a key wins ("所属村(社区)"), then one with its
        trailing bracket split off, then either with a leading year dropped
        ("2013年度计划投资" → "年度计划投资", "2013年计划投资" → "计划投资"). A whole-text
        key keeps the unit of its bracket when that is a money unit: a town that maps
        "总投资（亿元）" itself still has its cells read in 亿元.

        >>> REGISTER_HEADERS.resolve("2013年度计划投资(万元)")
        ('annual_plan', '万元')
        >>> REGISTER_HEADERS.resolve("其他(千亿元)")
        (None, '千亿元')
        >>> REGISTER_HEADERS.merge({"总投资（亿元）": "government_investment"}).resolve(
        ...     "总投资（亿元）")
        ('government_investment', '亿元')
        """
        key = normalise_header(text)
        if key in self.mapping:
            unit = split_unit(key)[1]
            return self.mapping[key], unit if unit and is_money_unit(unit) else None
        base, unit = split_unit(key)
        for candidate in _candidates(base):
            if candidate in self.mapping:
                return self.mapping[candidate], unit
        return None, unit

    def near(self, text: str) -> tuple[str, str] | None:
        """The known header (and its field) that ``text`` probably misspells: one edit
        away (a character changed, added or dropped), brackets and a leading year
        aside; ``None`` when no header is that close.

        >>> REGISTER_HEADERS.near("政付投资"), REGISTER_HEADERS.near("社会投资（万元）x")
        (('政府投资', 'government_investment'), ('社会投资', 'social_investment'))
        >>> REGISTER_HEADERS.near("项目法人") is None
        True
        """
        base = _BRACKETS.sub("", normalise_header(text))
        found = _YEAR_PREFIX.match(base)
        base = found["rest"] if found else base
        if len(base) < 3:
            return None
        for key, field in self.mapping.items():
            if field and len(key) >= 3 and key != base and _one_edit(base, key):
                return key, field
        return None

    def names_for(self, field: str) -> list[str]:
        """The headers that map to ``field``, in the map's order.

        >>> REGISTER_HEADERS.names_for("code")
        ['项目编号', '项目代码', '编号']
        """
        return [key for key, value in self.mapping.items() if value == field]

    def is_money(self, field: str) -> bool:
        """Whether cells of ``field`` are amounts of money (a group's columns are)."""
        return field in self.money_fields or any(field.startswith(p) for p in self.groups.values())


_BRACKETS = re.compile(r"[(\[【〔][^()\[\]【】〔〕]*[)\]】〕]")


def _one_edit(a: str, b: str) -> bool:
    """Whether ``a`` becomes ``b`` by changing, adding or dropping one character that is
    no digit: "1月完成" and "11月完成" or "本月完成" name other months, not a misspelling.

    >>> _one_edit("政付投资", "政府投资"), _one_edit("本月形象进度", "1月形象进度")
    (True, False)
    """
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        changed = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
        return len(changed) == 1 and not any(c.isdigit() for c in changed[0])
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(
        long[:i] + long[i + 1 :] == short and not long[i].isdigit() for i in range(len(long))
    )


def _candidates(base: str) -> list[str]:
    found = _YEAR_PREFIX.match(base)
    if not found:
        return [base]
    return [base, "年" + found["rest"], found["rest"]]


#: The default register mapping as a :class:`HeaderMap`.
REGISTER_HEADERS: Final[HeaderMap] = HeaderMap(DEFAULT_REGISTER_HEADERS)
#: The default progress-sheet mapping as a :class:`HeaderMap`.
PROGRESS_HEADERS: Final[HeaderMap] = HeaderMap(DEFAULT_PROGRESS_HEADERS)
