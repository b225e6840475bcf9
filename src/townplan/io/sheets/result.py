"""What an import did (or, in a dry run, would do).

>>> r = ImportResult("register", "项目库.xlsx", "项目库", dry_run=True, added=("P003",),
...                  changed=("P001",), unchanged=("P002",), new_zones=("水乡新城区",),
...                  changes={"P001": ("stage",)})
>>> print(r.summary("zh"))
项目库 项目库.xlsx（工作表 项目库）：试运行，未写入。将新增 1 个，将变更 1
个，未变 1 个；将新增片区 1 个（水乡新城区）。
>>> print(r.summary("en"))
register 项目库.xlsx (sheet 项目库): dry run, nothing written.
Would add 1, would change 1, 1 unchanged; would add 1 zone(s) (水乡新城区).
>>> r.would_add_zones, r.n_changed
(('水乡新城区',), 1)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Final, Literal

import attrs

from townplan.io.sheets.headers import HeaderMap

__all__ = ["ImportResult", "MappedColumn", "PlanYearFrom", "mapping_of", "unitless_of"]

#: One column an import used: its letter, its header (path), its field, its unit.
MappedColumn = tuple[str, str, str, str | None]
#: Where a register's plan year came from: a 计划年度 column, the annual plan's header,
#: a title above the header, the import's ``plan_year=``, or the year of the day the
#: import takes effect (the sheet names none).
PlanYearFrom = Literal["column", "header", "title", "given", "day"]


def unitless_of(mapping: Iterable[MappedColumn], headers: HeaderMap) -> tuple[str, ...]:
    """The headers of the amount columns of ``mapping`` read in 元 for want of a unit:
    none in the header, no "单位：" line, no ``unit=`` — amounts as the import's own
    ``headers`` tell them (a wide sheet's month columns, a register's sources).

    >>> from townplan.io.sheets.headers import REGISTER_HEADERS
    >>> unitless_of([("D", "总投资", "total_investment", None), ("E", "年度计划投资（万元）",
    ...              "annual_plan", "万元"), ("F", "项目名称", "name", None)], REGISTER_HEADERS)
    ('总投资',)
    """
    return tuple(h for _, h, field, unit in mapping if unit is None and headers.is_money(field))


def mapping_of(table: object) -> tuple[MappedColumn, ...]:
    """The (column, header, field, unit) of each column ``table`` maps, in sheet order."""
    columns = getattr(table, "columns", {})
    found = [(c.letter, c.header_text, f, c.unit) for f, c in columns.items()]
    return tuple(sorted(found, key=lambda m: (len(m[0]), m[0])))


_WHAT_CN: Final = {"register": "项目库", "progress": "进度表"}


def _frozen(value: Mapping[str, tuple[str, ...]]) -> Mapping[str, tuple[str, ...]]:
    return MappingProxyType(dict(value))


@attrs.frozen
class ImportResult:
    """The outcome of :func:`~townplan.io.import_register` or
    :func:`~townplan.io.import_progress`.

    ``added``, ``changed`` and ``unchanged`` name what the file held: project codes for a
    register, ``"<code> <month>"`` for progress. ``changes`` lists, per changed item, the
    fields that differ from the ledger. ``new_zones`` and ``new_units`` are the planning
    zones and responsible units the file named that the ledger lacked: added with the
    projects, or, in a dry run, to be added. ``skipped_rows`` are progress rows with
    nothing reported. In a dry run nothing was written.

    Nothing in the file goes unsaid: ``ignored`` lists the columns not used, as they are
    headed ("2013年计划/主要建设内容", "column K" for one without a header), and
    ``ignored_columns`` each with its letter, ``("K", "2013年计划/主要建设内容")``;
    ``hidden_sheets`` the hidden sheets not read, ``other_sheets`` the visible ones not
    read (the first that fits is read unless one is named); ``mapping`` each used column as
    (column, header, field, unit); ``derived_codes`` is True when the register had no
    code column and the codes were derived from the names; ``encoding`` is how a CSV
    file was read. ``plans`` names the funding plans by source recorded (or to be
    recorded) from the sheet's source columns, as ``"<code> <year> <source>"``.
    ``plan_year`` is the year of a register's annual plan and ``plan_year_from`` where it
    came from (:data:`PlanYearFrom`); the summary says when the sheet named no year.
    ``unsplit`` names the projects added or changed with a 总投资 but neither 政府投资 nor
    社会投资 (a sheet with only a 总投资 column): both are 0, so the selection rule
    (政府投资 ≥ 1000万元 or 社会投资 ≥ 2亿元) selects none of them, and the summary says so.
    ``unitless`` names the amount columns read in 元 for want of any unit
    (:func:`unitless_of`). ``year_to_date_differs`` names the progress reports whose
    row's 本年累计 is not the ledger's months of the year summed (the ledger's year to
    date, which the bulletin shows): the summary says how many.
    """

    what: Literal["register", "progress"]
    source: str
    sheet: str
    dry_run: bool = False
    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    new_zones: tuple[str, ...] = ()
    new_units: tuple[str, ...] = ()
    skipped_rows: tuple[int, ...] = ()
    changes: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict, converter=_frozen)
    ignored_columns: tuple[tuple[str, str], ...] = ()
    derived_codes: bool = False
    hidden_sheets: tuple[str, ...] = ()
    other_sheets: tuple[str, ...] = ()
    encoding: str | None = None
    mapping: tuple[MappedColumn, ...] = ()
    plans: tuple[str, ...] = ()
    plan_year: int | None = None
    plan_year_from: PlanYearFrom | None = None
    unsplit: tuple[str, ...] = ()
    unitless: tuple[str, ...] = ()
    year_to_date_differs: tuple[str, ...] = ()

    @property
    def ignored(self) -> tuple[str, ...]:
        """The headers of the columns not used, in sheet order."""
        return tuple(header for _, header in self.ignored_columns)

    @property
    def n_added(self) -> int:
        """How many items were (or would be) added."""
        return len(self.added)

    @property
    def n_changed(self) -> int:
        """How many items were (or would be) changed."""
        return len(self.changed)

    @property
    def n_unchanged(self) -> int:
        """How many items of the file the ledger already held as they are."""
        return len(self.unchanged)

    @property
    def would_add_zones(self) -> tuple[str, ...]:
        """Planning zones the import adds (the dry run's name for :attr:`new_zones`)."""
        return self.new_zones

    @property
    def would_add_units(self) -> tuple[str, ...]:
        """Responsible units the import adds (the dry run's name for :attr:`new_units`)."""
        return self.new_units

    @property
    def wrote(self) -> bool:
        """Whether the import changed the ledger."""
        return not self.dry_run and bool(self.added or self.changed or self.new_zones
                                         or self.new_units or self.plans)  # fmt: skip

    def summary(self, language: Literal["zh", "en"] = "zh") -> str:
        """One line saying what happened, in Chinese (``"zh"``) or English (``"en"``)."""
        return self._zh() if language == "zh" else self._en()

    def __str__(self) -> str:
        return f"{self._zh()}\n{self._en()}"

    def _zh(self) -> str:
        will = "将" if self.dry_run else ""
        where = f"{self.encoding} 编码" if self.encoding else f"工作表 {self.sheet}"
        head = f"{_WHAT_CN[self.what]} {self.source}（{where}）："
        if self.dry_run:
            head += "试运行，未写入。"
        text = (
            f"{head}{will}新增 {self.n_added} 个，{will}变更 {self.n_changed} 个，"
            f"未变 {self.n_unchanged} 个"
        )
        for names, word in ((self.new_zones, "片区"), (self.new_units, "责任单位")):
            if names:
                text += f"；{will}新增{word} {len(names)} 个（{'、'.join(names)}）"
        if self.plans:
            text += f"；{will}记入资金来源计划 {len(self.plans)} 条"
        if self.skipped_rows:
            text += f"；空行 {len(self.skipped_rows)} 行未报"
        if self.derived_codes:
            text += "；无项目编号列，编号由项目名称生成"
        if self.plan_year_from == "day":
            text += (
                f"；表中未写计划年度，年度计划投资按生效日所在的 {self.plan_year} 年计"
                "（可用 --year 指定）"
            )
        if self.year_to_date_differs:
            text += (
                f"；{len(self.year_to_date_differs)} 份月报的本年累计与台账逐月之和不符"
                "（台账或缺前几个月的月报；通报按台账逐月之和计）"
            )
        if self.unitless:
            text += f"；金额列未注明单位，按元读（{'、'.join(self.unitless)}；可用 --unit 指定）"
        if self.unsplit:
            text += (
                f"；{len(self.unsplit)} 个项目只有总投资、未分列政府投资和社会投资（两者记为 0），"
                "入库标准不会选中它们"
            )
        if self.ignored:
            text += f"；未使用的列 {len(self.ignored)} 列（{'、'.join(self.ignored)}）"
        if self.hidden_sheets:
            text += f"；未读隐藏工作表（{'、'.join(self.hidden_sheets)}）"
        if self.other_sheets:
            text += f"；未读其他工作表（{'、'.join(self.other_sheets)}；可用 --sheet 指定）"
        return text + "。"

    def _en(self) -> str:
        where = f"read as {self.encoding}" if self.encoding else f"sheet {self.sheet}"
        head = f"{self.what} {self.source} ({where}): "
        if self.dry_run:
            head += "dry run, nothing written. "
            counts = f"Would add {self.n_added}, would change {self.n_changed}"
        else:
            counts = f"Added {self.n_added}, changed {self.n_changed}"
        text = f"{head}{counts}, {self.n_unchanged} unchanged"
        verb = "would add" if self.dry_run else "added"
        for names, word in ((self.new_zones, "zone"), (self.new_units, "unit")):
            if names:
                text += f"; {verb} {len(names)} {word}(s) ({', '.join(names)})"
        if self.plans:
            did = "would record" if self.dry_run else "recorded"
            text += f"; {did} {len(self.plans)} funding plan(s) by source"
        if self.skipped_rows:
            text += f"; {len(self.skipped_rows)} row(s) with nothing reported"
        if self.derived_codes:
            text += "; no code column: codes derived from the names"
        if self.plan_year_from == "day":
            text += (
                f"; the sheet names no plan year: the annual plan is taken as "
                f"{self.plan_year}'s, the year it takes effect (--year to choose)"
            )
        if self.year_to_date_differs:
            text += (
                f"; {len(self.year_to_date_differs)} report(s) state a 本年累计 other than the "
                "ledger's months summed (months missing from the ledger? the bulletin sums "
                "the ledger's months)"
            )
        if self.unitless:
            text += (
                f"; amount column(s) with no unit read in 元 ({', '.join(self.unitless)}; "
                "--unit to choose)"
            )
        if self.unsplit:
            text += (
                f"; {len(self.unsplit)} project(s) give only 总投资, not split into 政府投资 "
                "and 社会投资 (both 0): the selection rule selects none of them"
            )
        if self.ignored:
            text += f"; {len(self.ignored)} column(s) not used ({', '.join(self.ignored)})"
        if self.hidden_sheets:
            text += f"; hidden sheet(s) not read ({', '.join(self.hidden_sheets)})"
        if self.other_sheets:
            text += f"; other sheet(s) not read ({', '.join(self.other_sheets)}; --sheet to choose)"
        return text + "."
