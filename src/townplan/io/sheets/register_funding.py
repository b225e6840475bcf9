"""The year's funding plan by source (年度计划投资及资金来源) read from a register's columns.

Layout C (年度市直政府性投资项目计划表) heads its plan "本年度计划投资及资金来源" over 合计 |
中央 | 省级 | 市级 (小计 | 财政 | 城投 | 交投 | 其他) | 县区及管委会, and a PPP group's
计划投资 beside it. Each column under such a group (:data:`FUNDING_GROUPS`) is a field
``funding:<path below the group>`` ("funding:市级/财政"); :func:`funding_columns` says which
funding source of the ledger's codelist each one is:

- a leaf that names a source (its code, name or an alias: 中央, 省级, 城投, 县区及管委会 …) is
  that source;
- 财政, 其他 or 资金 under a header that names a source is that source (市级/财政 and
  市级/其他 are 市级财政);
- 小计 or 合计 under a header is the sum of the columns under that header, checked;
- the town's ``sources={"市级/其他": "city_other", "交投": "loan"}`` wins (a header path, its
  part below the group, or its last part; ``""`` leaves the column out), and a column that
  names no source is an error naming it, until the town maps it.

Per row, each 小计 is checked against its parts and the plan's 合计 against the sources under
the same group; a mismatch is an error at the total's cell naming the columns summed. The
row's annual plan is the sum of its sources (the 合计 plus any source outside the group, such
as PPP项目/计划投资), and its plan per source the sum of the columns of that source
(城投 + 交投 are one 平台公司 plan by default).

>>> from townplan.model.funding import DEFAULT_FUNDING_SOURCES as S
>>> source_of(("市级", "财政"), "…/市级/财政", S, {}), source_of(("县区及管委会",), "", S, {})
('city', 'town')
>>> source_of(("市级", "小计"), "", S, {}) is SUBTOTAL
True
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from types import MappingProxyType
from typing import Final

import attrs

from townplan.errors import FieldError, ValidationError
from townplan.io.sheets.cells import MoneyColumns, bad_columns
from townplan.io.sheets.header_row import TOTAL_WORDS
from townplan.io.sheets.headers import HeaderMap, normalise_header
from townplan.io.sheets.table import Row, Table
from townplan.model.funding import FundingPlan, FundingSource, source_for
from townplan.model.money import Money

__all__ = [
    "FUNDING_GROUPS",
    "FUNDING_PREFIX",
    "SUBTOTAL",
    "FundingColumn",
    "RowFunding",
    "funding_columns",
    "row_funding",
    "source_of",
]

#: The field prefix of a source column.
FUNDING_PREFIX: Final = "funding:"
#: Group headers whose columns are the sources of the year's plan.
FUNDING_GROUPS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "本年度计划投资及资金来源": FUNDING_PREFIX,
        "年度计划投资及资金来源": FUNDING_PREFIX,
        "计划投资及资金来源": FUNDING_PREFIX,
        "本年度资金来源": FUNDING_PREFIX,
        "年度资金来源": FUNDING_PREFIX,
        "资金来源": FUNDING_PREFIX,
    }
)
#: Words under a header naming a source that mean that source's own money.
OWN_WORDS: Final = frozenset({"财政", "其他", "资金", "财政资金", "其他资金", "本级"})
#: What :func:`source_of` says of a 小计 column.
SUBTOTAL: Final = "(小计)"


@attrs.frozen
class FundingColumn:
    """A source column: its field, letter, header path, path below the group, the source
    it is (``None``: left out by the town; :data:`SUBTOTAL`: a 小计 of its parts) and
    whether it sits under the plan's group (so counts in its 合计)."""

    field: str
    letter: str
    header: str
    parts: tuple[str, ...]
    source: str | None
    in_group: bool

    @property
    def subtotal(self) -> bool:
        return self.source == SUBTOTAL

    @property
    def label(self) -> str:
        """The column as the errors name it: "市级/财政 in column K"."""
        return f"{'/'.join(self.parts)} in column {self.letter}"


def _key(text: str) -> str:
    return normalise_header(text)


def source_of(
    parts: Sequence[str],
    header: str,
    sources: Sequence[FundingSource],
    overrides: Mapping[str, str],
) -> str | None:
    """The source code of a column (``None``: left out; :data:`SUBTOTAL`: a 小计); raises
    :class:`~townplan.ValidationError` when the column names no source of ``sources``."""
    shown = "/".join(parts)
    mapped = {_key(k): v for k, v in overrides.items()}
    for key in (header, *("/".join(parts[k:]) for k in range(len(parts)))):
        chosen = mapped.get(_key(key))
        if chosen is None:
            continue
        if not chosen.strip():
            return None
        try:
            return source_for(chosen, sources).code
        except ValidationError:
            known = ", ".join(s.code for s in sources)
            expected = (
                f"a funding source of the ledger for {key!r} (given {chosen!r}; "
                f"the ledger has {known})"
            )
            raise ValidationError.single(
                record="FundingSource", field="name", value=chosen, expected=expected
            ) from None
    leaf = parts[-1]
    if len(parts) > 1 and leaf in TOTAL_WORDS:
        return SUBTOTAL
    candidates = [leaf, parts[-2]] if len(parts) > 1 and leaf in OWN_WORDS else [leaf]
    for text in candidates:
        try:
            return source_for(unicodedata.normalize("NFKC", text), sources).code
        except ValidationError:
            continue
    names = "、".join(s.name for s in sources)
    expected = (
        f"a funding source of the ledger ({names}); map the column with "
        f"sources={{{shown!r}: '<source>'}}, or to '' to leave it out"
    )
    raise ValidationError.single(
        record="FundingSource", field="name", value=shown, expected=expected
    )


def funding_columns(
    table: Table,
    headers: HeaderMap,
    sources: Sequence[FundingSource],
    overrides: Mapping[str, str],
) -> tuple[tuple[FundingColumn, ...], list[FieldError]]:
    """The table's source columns, and a problem for each that names no source."""
    found: list[FundingColumn] = []
    problems: list[FieldError] = []
    for field, column in table.columns.items():
        if not field.startswith(FUNDING_PREFIX):
            continue
        parts = tuple(field[len(FUNDING_PREFIX) :].split("/"))
        in_group = any(headers.group(p) for p in column.header_text.split("/")[:-1])
        try:
            source = source_of(parts, column.header_text, sources, overrides)
        except ValidationError as err:
            expected = err.errors[0].expected
            problems.append(
                FieldError(None, field, column.header_text, expected, table.sheet,
                           column.row, column.letter)
            )  # fmt: skip
            source = None
        found.append(FundingColumn(field, column.letter, column.header_text, parts, source,
                                   in_group))  # fmt: skip
    return tuple(found), problems


@attrs.frozen
class RowFunding:
    """What a row's source columns say: the annual plan (``None`` when no source is
    given) and the plan per source."""

    annual_plan: Money | None
    plans: Mapping[str, Money]


def row_funding(
    table: Table,
    row: Row,
    columns: Sequence[FundingColumn],
    currency: str,
    problems: list[FieldError],
) -> RowFunding:
    """The row's plan by source, its 小计 and 合计 checked (problems located at the
    totals' cells)."""
    planned = ["annual_plan"] if "annual_plan" in table.columns else []
    reader = MoneyColumns(table, [*planned, *(c.field for c in columns)], skip=bad_columns(table))
    before = len(problems)
    given = reader.read(row, problems, currency).given
    if len(problems) > before or not any(c.field in given for c in columns if not c.subtotal):
        return RowFunding(None, {})
    zero = Money.zero(currency)
    for total in (c for c in columns if c.subtotal and c.field in given):
        scope = total.parts[:-1]
        parts = [c for c in columns if not c.subtotal and c.parts[: len(scope)] == scope
                 and len(c.parts) > len(scope)]  # fmt: skip
        _check(table, row, total.field, given[total.field], parts, given, problems)
    members = [c for c in columns if c.in_group and not c.subtotal]
    plan_cell = given.get("annual_plan")
    if plan_cell is not None and members:
        _check(table, row, "annual_plan", plan_cell, members, given, problems)
    outside = sum((given.get(c.field, zero) for c in columns
                   if not c.in_group and not c.subtotal), zero)  # fmt: skip
    inside = sum((given.get(c.field, zero) for c in members), zero)
    plans: dict[str, Money] = {}
    for c in columns:
        if c.source is not None and not c.subtotal and c.field in given:
            plans[c.source] = plans.get(c.source, zero) + given[c.field]
    plan = (plan_cell if plan_cell is not None else inside) + outside
    return RowFunding(plan, MappingProxyType(plans))


def _check(
    table: Table,
    row: Row,
    field: str,
    stated: Money,
    parts: Sequence[FundingColumn],
    given: Mapping[str, Money],
    problems: list[FieldError],
) -> None:
    found = sum((given.get(c.field, Money.zero(stated.currency)) for c in parts),
                Money.zero(stated.currency))  # fmt: skip
    if found == stated:
        return
    unit = table.columns[field].unit or "元"
    expected = f"the sum of {', '.join(c.label for c in parts)}, {found.format_cn(unit=unit)}"
    problems.append(row.error(field, expected))


def plans_to_record(
    code: str,
    year: int,
    wanted: Mapping[str, Money],
    known: Iterable[FundingPlan],
) -> list[FundingPlan]:
    """The plans that make the ledger's plans of ``code`` for ``year`` (``known``) what the
    sheet says (``wanted``): a changed or new source, and zero for a source the sheet no
    longer plans. Nothing when they agree, so importing a sheet again records nothing."""
    held = {p.source: p.amount for p in known}
    changed = [FundingPlan(code, year, s, m) for s, m in wanted.items() if held.get(s) != m]
    dropped = [FundingPlan(code, year, s, Money.zero(m.currency)) for s, m in held.items()
               if s not in wanted and m.amount != Decimal(0)]  # fmt: skip
    return changed + dropped
