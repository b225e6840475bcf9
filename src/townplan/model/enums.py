"""The closed vocabularies of the domain, each value with its Chinese label.

Values are English snake_case (they are what the ledger stores); ``.label_cn`` is what an
official reads, and :meth:`LabelledEnum.parse` accepts either.

>>> Stage.parse("续建")
<Stage.CONTINUING: 'continuing'>
>>> Category.INFRASTRUCTURE.label_cn
'基础设施'
"""

from __future__ import annotations

import enum
import functools
import unicodedata
from collections.abc import Mapping
from types import MappingProxyType
from typing import Self, TypeVar

from townplan.errors import ValidationError

__all__ = [
    "Category",
    "Direction",
    "GroupKind",
    "LabelledEnum",
    "Level",
    "Light",
    "ProjectKind",
    "Stage",
    "register_labels",
]


class LabelledEnum(enum.StrEnum):
    """A string enum whose members carry a Chinese label."""

    @property
    def label_cn(self) -> str:
        """The Chinese label an official uses."""
        # ``_value_``, not the ``value`` property: a light list asks once per project.
        return _LABELS[type(self)][self._value_]

    @classmethod
    def parse(
        cls, text: str | Self, *, record: str | None = None, field: str | None = None
    ) -> Self:
        """The member named exactly by its value, its name or its Chinese label (space
        around it aside); ValidationError for any other value. A document or a query
        names a member so; :meth:`lookup` also reads a sheet's looser words ("产业类").
        """
        if isinstance(text, cls):
            return text
        words: Mapping[str, Self] = _words(cls)
        found = words.get(text.strip()) if isinstance(text, str) else None
        if found is not None:
            return found
        choices = ", ".join(f"{m.value} ({m.label_cn})" for m in cls)
        raise ValidationError.single(
            record=record or cls.__name__,
            field=field or cls.__name__.lower(),
            value=text,
            expected=f"one of {choices}",
        )

    @classmethod
    def lookup(cls, text: str) -> Self | None:
        """The member ``text`` names — its value, its name or its Chinese label, also
        full-width, spaced, or followed by 项目 or 类 as sheets write them ("产业类",
        "续建项目", "基 础 设 施") — or ``None``.

        >>> Category.lookup("基础设施类"), Stage.lookup("续建项目"), Category.lookup("道路")
        (<Category.INFRASTRUCTURE: 'infrastructure'>, <Stage.CONTINUING: 'continuing'>, None)
        >>> Category.lookup("民生类项目"), Category.lookup("ＩＮＦＲＡＳＴＲＵＣＴＵＲＥ")
        (<Category.LIVELIHOOD: 'livelihood'>, <Category.INFRASTRUCTURE: 'infrastructure'>)
        """
        words: Mapping[str, Self] = _words(cls)
        found = words.get(text)
        if found is not None:
            return found
        body = "".join(unicodedata.normalize("NFKC", text).split())
        bare = body.removesuffix("项目")
        for candidate in (body, bare, body.removesuffix("类"), bare.removesuffix("类")):
            if candidate in words:
                return words[candidate]
        return None


@functools.cache
def _words(kind: type[_E]) -> Mapping[str, _E]:
    """Every word a member of ``kind`` is named by (value, name, lower-case name, label)."""
    words: dict[str, _E] = {}
    for member in kind:
        for word in (member.value, member.name, member.name.lower(), member.label_cn):
            words.setdefault(word, member)
    return MappingProxyType(words)


_E = TypeVar("_E", bound=LabelledEnum)
_LABELS: dict[type[LabelledEnum], dict[str, str]] = {}


def register_labels(cls: type[LabelledEnum], labels: dict[str, str]) -> None:
    """Give every member of ``cls`` its Chinese label (all members, no others)."""
    if {m.value for m in cls} != labels.keys():
        raise RuntimeError(f"labels of {cls.__name__} do not match its members")
    _LABELS[cls] = labels


class Stage(LabelledEnum):
    """Project stage (建设阶段)."""

    PREPARATION = "preparation"
    NEW_START = "new_start"
    CONTINUING = "continuing"
    COMPLETED = "completed"
    IN_OPERATION = "in_operation"


class Category(LabelledEnum):
    """Project category used by city plans (项目类别)."""

    INFRASTRUCTURE = "infrastructure"
    INDUSTRY = "industry"
    LIVELIHOOD = "livelihood"
    URBAN_RENEWAL = "urban_renewal"


class ProjectKind(LabelledEnum):
    """Construction project (重大建设项目) or reserve project not yet started (重大预备项目)."""

    CONSTRUCTION = "construction"
    RESERVE = "reserve"


class Direction(LabelledEnum):
    """Which side of a target counts as met."""

    AT_LEAST = "at_least"
    AT_MOST = "at_most"


class Level(LabelledEnum):
    """The level of government a policy or ledger belongs to."""

    TOWN = "town"
    CITY = "city"
    PROVINCE = "province"


class GroupKind(LabelledEnum):
    """A leading group (领导小组) or a command headquarters (指挥部)."""

    GROUP = "group"
    HQ = "hq"


class Light(LabelledEnum):
    """Red/amber/green status (红黄绿灯)."""

    GREEN = "green"
    AMBER = "amber"
    RED = "red"


register_labels(Stage, {"preparation": "前期", "new_start": "新开工", "continuing": "续建",
                "completed": "竣工", "in_operation": "投产"})  # fmt: skip
register_labels(Category, {"infrastructure": "基础设施", "industry": "产业", "livelihood": "民生",
                   "urban_renewal": "城市更新"})  # fmt: skip
register_labels(ProjectKind, {"construction": "建设", "reserve": "预备"})
register_labels(Direction, {"at_least": "不低于", "at_most": "不高于"})
register_labels(Level, {"town": "镇", "city": "市", "province": "省"})
register_labels(GroupKind, {"group": "领导小组", "hq": "指挥部"})
register_labels(Light, {"green": "绿灯", "amber": "黄灯", "red": "红灯"})
