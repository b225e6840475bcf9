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
from typing import Self

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
        """The member named by its value, its name or its Chinese label."""
        if isinstance(text, cls):
            return text
        if isinstance(text, str):
            key = text.strip()
            for member in cls:
                if key in (member.value, member.name, member.name.lower(), member.label_cn):
                    return member
        choices = ", ".join(f"{m.value} ({m.label_cn})" for m in cls)
        raise ValidationError.single(
            record=record or cls.__name__,
            field=field or cls.__name__.lower(),
            value=text,
            expected=f"one of {choices}",
        )


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
