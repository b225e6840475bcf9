"""Import a project register (项目库) from .xlsx or .csv into the ledger.

Each row is one project. A code the ledger lacks is added; a code it holds becomes a new
version of that project when any column differs (:meth:`LedgerStore.update_project`,
in force from ``on``), and is left alone when none does — so importing the same file
twice changes nothing. Columns the file lacks keep the ledger's values.

Cells: amounts in the unit of their header or title ("（万元）", "单位：万元"), a blank amount
is zero; 总投资 left blank (or without a column) is 政府投资 + 社会投资, and when all three
are given they must add up, unless both parts are zero (a total known before its split).
起止年限 reads "2012-2015", "2012—2015年", "2013" (one year), "2013-" and "-2015";
开工年份/竣工年份 columns work too. A plan year comes from a 计划年度
column or the plan header ("2013年度计划投资"). Labels are the Chinese ones (基础设施, 续建,
预备 …). A blank label of a project the ledger holds keeps its value.

Every problem of the file is collected and raised as one :class:`~townplan.ValidationError`
listing each cell by sheet, row and column (conflicts with the ledger alone — an unknown
zone or unit without ``create_missing`` — as one :class:`~townplan.ConflictError`); nothing
is written unless the whole file is good.

>>> import tempfile, pathlib
>>> from townplan.ledger import LedgerStore
>>> path = pathlib.Path(tempfile.mkdtemp()) / "register.csv"
>>> _ = path.write_text("2013年重大项目库\\n"
...     "项目编号,项目名称,项目类别,建设阶段,政府投资（万元）,社会投资（万元）,责任单位\\n"
...     "P001,中心大道,基础设施,续建,1200,,城建办\\n"
...     "P002,华阳湿地生态公园,民生,新开工,800,1.5亿,城建办\\n合计,,,,2000,15000,\\n",
...     encoding="utf-8-sig")
>>> ledger = LedgerStore.open(":memory:")
>>> print(import_register(ledger, path, dry_run=True).summary("en"))
register register.csv (read as UTF-8 (BOM)): dry run, nothing written.
Would add 2, would change 0, 0 unchanged; would add 1 unit(s) (城建办).
>>> import_register(ledger, path).added
('P001', 'P002')
>>> ledger.project("P002").total_investment.format_cn()
'1.58亿元'
>>> import_register(ledger, path).n_unchanged
2
"""

from __future__ import annotations

import functools
import hashlib
import json
import operator
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from os import PathLike
from types import MappingProxyType
from typing import Any, Final, TypeVar

import attrs

from townplan.cycles import paused_collector
from townplan.deprecation import renamed
from townplan.errors import ConflictError, FieldError, ValidationError
from townplan.io.sheets.cells import (
    FEN_LIMIT,
    MoneyColumns,
    RowMoney,
    as_header_map,
    bad_columns,
    cell,
    day,
    in_sheet_order,
    label,
    parse_years,
    year,
)
from townplan.io.sheets.headers import REGISTER_HEADERS, HeaderMap
from townplan.io.sheets.register_export import export_register
from townplan.io.sheets.register_funding import (
    FUNDING_GROUPS,
    FundingColumn,
    plans_to_record,
    row_funding,
)
from townplan.io.sheets.register_funding import funding_columns as _funding_columns
from townplan.io.sheets.result import ImportResult, PlanYearFrom, mapping_of, unitless_of
from townplan.io.sheets.table import BLANK, Row, Table, read_table, title_texts
from townplan.ledger import LOCAL_TIME, LedgerStore, as_recorded_at
from townplan.ledger.base import Recorded
from townplan.ledger.rows import project_from_row
from townplan.model.enums import Category, LabelledEnum, ProjectKind, Stage
from townplan.model.fields import described
from townplan.model.money import Money
from townplan.model.records import Project
from townplan.progress import ProgressHook, Tally, counted

__all__ = ["REGISTER_EXTRA", "export_register", "import_register", "register_headers"]

#: Register headers the default map lacks, read (and written) by the register import.
REGISTER_EXTRA: Final[Mapping[str, str]] = MappingProxyType(
    {
        "计划年度": "plan_year",
        "计划年份": "plan_year",
        "所属镇": "town",
        "所属镇街": "town",
        # layout C: a government-investment group and a PPP group, each with its 总投资
        "政府直接投资项目/总投资": "government_investment",
        "PPP项目/总投资": "social_investment",
        "PPP项目/计划投资": "funding:PPP",
    }
)
_DEFAULT: Final = REGISTER_HEADERS.merge(REGISTER_EXTRA, groups=FUNDING_GROUPS)
_REQUIRED: Final = frozenset({"name"})
_FIELDS: Final = described(Project).infos()
_MONEY: Final = tuple(i.name for i in _FIELDS if i.is_money)
#: Text cells read as written (the code and name are read first, the content is never None).
_NAMES: Final = tuple(
    i.name for i in _FIELDS if i.type is str and i.name not in ("code", "name", "content")
)
_LABELS: Final = tuple(
    (i.name, i.type)
    for i in _FIELDS
    if isinstance(i.type, type) and issubclass(i.type, LabelledEnum)
)
_DAYS: Final = tuple(i.name for i in _FIELDS if i.type is date)
_YEARS: Final = tuple(
    i.name for i in _FIELDS if i.type is int and i.name not in ("start_year", "end_year")
)

#: 建设性质 (the nature of the works, as registers write it) → the stage it means; a town
#: changes it with ``import_register(..., stages={"储备": "前期"})``.
NATURE_STAGES: Final[Mapping[str, Stage]] = MappingProxyType(
    {
        "新建": Stage.NEW_START,
        "新开工": Stage.NEW_START,
        "改建": Stage.NEW_START,
        "扩建": Stage.NEW_START,
        "改扩建": Stage.NEW_START,
        "续建": Stage.CONTINUING,
        "在建": Stage.CONTINUING,
        "竣工": Stage.COMPLETED,
        "建成": Stage.COMPLETED,
        "投产": Stage.IN_OPERATION,
        "储备": Stage.PREPARATION,
        "预备": Stage.PREPARATION,
        "前期": Stage.PREPARATION,
    }
)
#: 建设性质 words that make a project a reserve project (重大预备项目).
RESERVE_NATURES: Final = frozenset({"储备", "预备"})


def derived_code(name: str) -> str:
    """The code of a project in a register without a code column: "N" and the first ten
    hexadecimal digits of the SHA-1 of its name (NFKC, whitespace removed), so the same
    name gets the same code in every import and on every machine.

    >>> derived_code("中心大道"), derived_code(" 中心 大道 ") == derived_code("中心大道")
    ('N12F77B59EE', True)
    """
    key = "".join(unicodedata.normalize("NFKC", name).split())
    return "N" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10].upper()


_HEADER_YEAR: Final = re.compile(r"((?:19|20|21)\d{2})\s*年")


def register_headers(headers: HeaderMap | Mapping[str, str] | None = None) -> HeaderMap:
    """The header map an import uses: the default (with :data:`REGISTER_EXTRA`), the
    default plus the user's ``{header: field}``, or the user's own :class:`HeaderMap`.

    >>> register_headers({"工程名称": "name"}).resolve("工程名称")
    ('name', None)
    """
    return as_header_map(_DEFAULT, headers)


def import_register(
    store: LedgerStore,
    path: str | PathLike[str],
    *,
    headers: HeaderMap | Mapping[str, str] | None = None,
    dry_run: bool = False,
    on: date | None = None,
    sheet: str | None = None,
    unit: str | None = None,
    create_missing: bool = True,
    recorded_at: Recorded = None,
    stages: Mapping[str, str | Stage] | None = None,
    on_progress: ProgressHook | None = None,
    sources: Mapping[str, str] | None = None,
    category: str | Category | None = None,
    plan_year: int | None = None,
    effective: date | None = None,
) -> ImportResult:
    """Import the register in ``path`` (.xlsx or .csv) into ``store``.

    ``headers`` adds the town's own header names to the defaults (or replaces them with a
    :class:`HeaderMap`); ``sheet`` picks a worksheet; ``unit`` is the money unit for
    columns whose header and title give none. Changed projects get a new version
    in force from ``on`` (default: the day recorded; ``effective=`` is its former name);
    new ones enter the register that day. Zones and units the ledger lacks are added
    when ``create_missing``, otherwise they are conflicts. ``recorded_at`` dates
    everything the import writes (default: now), for loading past registers.
    ``dry_run`` checks everything and reports what would be done.

    A 建设性质 column (新建, 续建, 竣工, 储备 …) gives the stage by :data:`NATURE_STAGES`
    (``stages`` changes or adds words); section rows ("一、基础设施（3项）", "（二）续建项目")
    give the category or the stage of the rows under them. Without a code column every
    project gets :func:`derived_code` of its name, and the result says so
    (``derived_codes``). Every column not used is in ``result.ignored``. ``on_progress``
    is told ``(done, total)`` as it goes (:mod:`townplan.progress`): once the file is read,
    each row checked and each project written, twice the rows in all. ``category`` is
    the category of new projects whose row and section give none.

    The annual plan (年度计划投资) is the plan of the year a 计划年度 column, the plan's
    header ("2013年度计划投资") or a title ("2013年重点项目计划表") names; failing those,
    of ``plan_year``; failing that, of the year of the day the import takes effect (``on``,
    or the day recorded), and the result says so (``plan_year_from``). A ``plan_year``
    that contradicts the year the sheet names is an error.

    Columns under "本年度计划投资及资金来源" (中央, 省级, 市级/财政 …) and a PPP group's
    计划投资 are the plan year's funding plan by source (see
    :mod:`townplan.io.sheets.register_funding`; ``sources`` maps a column to a source of
    the ledger's codelist); plans that differ from the ledger's are recorded with the
    projects (``result.plans``).
    """
    on = renamed("import_register", "effective", effective, "on", on)
    with paused_collector():
        return _import(
            store, path, headers=headers, dry_run=dry_run, on=on, sheet=sheet,
            unit=unit, create_missing=create_missing, recorded_at=recorded_at, stages=stages,
            on_progress=on_progress, sources=sources, category=category, plan_year=plan_year,
        )  # fmt: skip


def _import(
    store: LedgerStore,
    path: str | PathLike[str],
    *,
    headers: HeaderMap | Mapping[str, str] | None,
    dry_run: bool,
    on: date | None,
    sheet: str | None,
    unit: str | None,
    create_missing: bool,
    recorded_at: Recorded,
    stages: Mapping[str, str | Stage] | None,
    on_progress: ProgressHook | None,
    sources: Mapping[str, str] | None,
    category: str | Category | None,
    plan_year: int | None,
) -> ImportResult:
    header_map = register_headers(headers)
    table = read_table(path, headers=header_map, required=_REQUIRED, sheet=sheet, unit=unit)
    if table.header_row is None or not table.columns.keys() >= _REQUIRED:
        raise ValidationError(in_sheet_order(table.problems))
    problems = list(table.problems)
    tally = Tally(on_progress, 2 * len(table.rows))
    funding, unknown = _funding_columns(table, header_map, store.funding_sources(), sources or {})
    problems += unknown
    default_category = _category_argument(category)
    natures = _natures(stages)
    derive = "code" not in table.columns
    codes = (
        [derived_code(n) if (n := r.values.get("name")) else None for r in table.rows]
        if derive
        else [r.values.get("code") or None for r in table.rows]
    )  # in the order of the rows
    existing = _existing(store, [c for c in codes if c])
    reported = _reported(store, existing)
    when = recorded_at or datetime.now(LOCAL_TIME)  # one record time for the whole file
    day = on or date.fromisoformat(as_recorded_at(when)[:10])
    year, year_from = _plan_year(table, plan_year, day, problems, funded=bool(funding))
    amounts = MoneyColumns(table, _MONEY, skip=bad_columns(table))
    reader = _Reader(table, year, amounts, natures, default_category)
    built: list[tuple[Row, Project]] = []
    wanted: dict[str, tuple[int, Mapping[str, Any]]] = {}
    seen: dict[str, int] = {}
    # the new projects' rows of the usual kind, read a column at a time
    new_codes = [None if c in existing else c for c in codes] if existing else codes
    quick = reader.quick(new_codes) if any(new_codes) else None
    for at, (row, code) in enumerate(zip(counted(table.rows, tally), codes)):  # noqa: B905
        if code is not None and code in seen:
            what = "a name" if derive else "a code"
            field = "name" if derive else "code"
            problems.append(row.error(field, f"{what} used once in the file (row {seen[code]})"))
            continue
        if code is not None:
            seen[code] = row.number
        old = existing.get(code or "")
        project = quick[at] if quick is not None and old is None else None
        if project is None:
            project = reader.project(row, old, code, problems, reported=code in reported, at=at)
        if project is not None and funding:
            project = _funded(table, row, project, funding, wanted, problems)
        if project is not None:
            built.append((row, project))
    new_zones, new_units, conflicts = _references(store, built, create_missing)
    if problems:
        raise ValidationError(in_sheet_order([*problems, *conflicts]))
    if conflicts:
        raise ConflictError(
            f"{len(conflicts)} cell(s) conflict with the ledger", in_sheet_order(conflicts)
        )
    added = [p for _, p in built if p.code not in existing] if existing else [p for _, p in built]
    changed = (
        [p for _, p in built if p.code in existing and existing[p.code] != p] if existing else []
    )
    plans = [
        plan
        for code, (year, per_source) in wanted.items()
        for plan in plans_to_record(
            code, year, per_source, store.funding_plans(code, year) if code in existing else ()
        )
    ]
    left_out = [c.field for c in funding if c.source is None and not unknown]
    mapping = _mapping(table, funding)
    result = ImportResult(
        "register", table.source, table.sheet, dry_run,
        added=tuple(p.code for p in added),
        changed=tuple(p.code for p in changed),
        unchanged=tuple(p.code for _, p in built if p.code in existing and existing[p.code] == p)
        if existing else (),
        new_zones=new_zones, new_units=new_units,
        changes={p.code: _differences(existing[p.code], p) for p in changed},
        ignored_columns=table.ignored_with(left_out), derived_codes=derive,
        hidden_sheets=table.hidden_sheets, other_sheets=table.other_sheets, encoding=table.encoding,
        mapping=mapping, unitless=unitless_of(mapping, header_map),
        plans=tuple(f"{p.project} {p.year} {p.source}" for p in plans),
        plan_year=year, plan_year_from=year_from,
        unsplit=tuple(p.code for p in (*added, *changed) if _unsplit(p)),
    )  # fmt: skip
    if not dry_run and result.wrote:
        note = f"导入 {table.source}"
        with store.transaction():
            store.add_zones(new_zones)
            store.add_units(new_units)
            if added:
                store.add_projects(counted(added, tally), on=day, recorded_at=when)
            for project in counted(changed, tally):
                store.update_project(project, on=day, note=note, recorded_at=when)
            if plans:
                store.plan_funding(plans, recorded_at=when)
    tally.finish()
    return result


def _unsplit(project: Project) -> bool:
    """Whether ``project`` has a 总投资 but neither 政府投资 nor 社会投资 (the split unknown).

    >>> _unsplit(Project(code="P1", name="公园", category=Category.LIVELIHOOD,
    ...                  total_investment=Money.parse("5000万元")))
    True
    """
    return (
        project.total_investment.amount > 0
        and not project.government_investment.amount
        and not project.social_investment.amount
    )


def _category_argument(category: str | Category | None) -> Category | None:
    if category is None:
        return None
    return Category.parse(category, record="import_register", field="category")


def _funded(
    table: Table,
    row: Row,
    project: Project,
    funding: Sequence[FundingColumn],
    wanted: dict[str, tuple[int, Mapping[str, Any]]],
    problems: list[FieldError],
) -> Project | None:
    """``project`` with the annual plan its sources give; its plan by source in ``wanted``."""
    before = len(problems)
    found = row_funding(table, row, funding, project.currency, problems)
    if len(problems) > before:
        return None
    if found.annual_plan is None:
        return project
    if project.plan_year is None:
        expected = "a plan year for the funding plan: a year in the title or the plan's header"
        problems.append(row.error("annual_plan", expected, found.annual_plan.format_cn()))
        return None
    wanted[project.code] = (project.plan_year, found.plans)
    if found.annual_plan == project.annual_plan:
        return project
    return attrs.evolve(project, annual_plan=found.annual_plan)


def _mapping(table: Table, funding: Sequence[FundingColumn]) -> tuple[Any, ...]:
    """The columns used, a source column named by its source ("funding:city")."""
    shown = {c.field: f"funding:{c.source}" for c in funding if c.source and not c.subtotal}
    left_out = {c.field for c in funding if c.source is None}
    return tuple(
        (column, header, shown.get(field, field), unit)
        for column, header, field, unit in mapping_of(table)
        if field not in left_out
    )


def _existing(store: LedgerStore, codes: Sequence[str]) -> dict[str, Project]:
    """The ledger's projects (as of its cut) among ``codes``."""
    if not codes:
        return {}
    sql, params = store.relation("projects")
    cursor = store.db.execute(
        f"SELECT * FROM ({sql}) WHERE code IN (SELECT value FROM json_each(:codes))",
        {**params, "codes": json.dumps(sorted(set(codes)), ensure_ascii=False)},
    )
    names = [d[0] for d in cursor.description]
    projects = (project_from_row(dict(zip(names, values, strict=True))) for values in cursor)
    return {p.code: p for p in projects}


def _reported(store: LedgerStore, projects: Mapping[str, Project]) -> set[str]:
    """The codes among ``projects`` that have progress reports."""
    rows = store.db.execute(
        "SELECT DISTINCT project FROM progress WHERE project IN (SELECT value FROM json_each(?))",
        [json.dumps(sorted(projects), ensure_ascii=False)],
    )
    return {code for (code,) in rows}


def _currency(
    row: Row, old: Project, money: RowMoney, reported: bool, values: dict[str, Any]
) -> FieldError | None:
    """The problem, if any, of a row that gives ``old`` another currency; amounts the row
    does not give that are zero become zero in the new currency."""
    first = next(iter(money.given))
    expected = None
    if reported:
        expected = (f"{old.currency}, the currency of its progress reports (a project's "
                    "currency is its own once it has progress)")  # fmt: skip
    else:
        kept = [f for f in _MONEY if f != "total_investment" and money.get(f) is None
                and getattr(old, f).amount != 0]  # fmt: skip
        if kept:
            expected = (f"{old.currency}, the currency of its amounts this sheet does not give "
                        f"({', '.join(kept)})")  # fmt: skip
    if expected is not None:
        return FieldError(row.record, "currency", money.currency, expected, row.sheet,
                          row.number, row.cells.get(first))  # fmt: skip
    for field in _MONEY:
        if field != "total_investment" and money.get(field) is None:
            values[field] = Money.zero(money.currency)
    return None


def _plan_year(
    table: Table, given: int | None, day: date, problems: list[FieldError], *, funded: bool
) -> tuple[int | None, PlanYearFrom | None]:
    """The year of the annual plan of every row, and where it came from (see
    :func:`import_register`); ``None`` for a sheet with a 计划年度 column (each row says)
    or with no annual plan (``funded``: the sheet has source columns, which are one).
    A ``given`` year the sheet contradicts is a problem."""
    if "plan_year" in table.columns:
        if given is not None:  # never silently unused
            years = table.columns["plan_year"]
            expected = (
                f"no plan_year= (column {years.letter}, {years.header_text}, names each row's)"
            )
            problems.append(FieldError("import_register", "plan_year", given, expected,
                                       table.sheet, table.header_row, years.letter))  # fmt: skip
        return None, "column"
    column = table.columns.get("annual_plan")
    if column is None and not funded:
        return None, None
    found = _HEADER_YEAR.search(column.header_text) if column else None
    where = "header"
    for title in title_texts(table) if not found else ():
        found, where = _HEADER_YEAR.search(title), "title"
        if found:
            break
    if found is None:
        return (given, "given") if given is not None else (day.year, "day")
    named = int(found[1])
    if given is not None and given != named:
        text = column.header_text if column and where == "header" else found.string
        expected = f"the plan year the sheet names ({named}, in {text!r}), or no plan_year="
        problems.append(FieldError(
            "import_register", "plan_year", given, expected, table.sheet, table.header_row,
            column.letter if column and where == "header" else None,
        ))  # fmt: skip
    return named, "header" if where == "header" else "title"


#: Rows read at a time by :meth:`_Reader.quick` (its lists of values stay small).
_QUICK_ROWS: Final = 4096
_BAD: Final = object()  # a memo entry: this text was refused (the reader says why again)
_MEMO: Final = 4096  # distinct texts remembered per column
_N = TypeVar("_N", int, Decimal)  # fen of the quick path, amounts of the general one


class _Memo:
    """One column's cell reader, remembering what each distinct text gave: most register
    columns (category, stage, years, plan year …) hold a few texts thousands of times.
    A refused text is read again at each row, so each cell gets its own problem."""

    def __init__(self, field: str, read: Callable[[Row, str, list[FieldError]], Any]) -> None:
        self.field, self.read = field, read
        self.seen: dict[str | None, Any] = {}

    def __call__(self, row: Row, problems: list[FieldError]) -> Any:
        text = row.values.get(self.field)
        found = self.seen.get(text, _BAD)
        if found is not _BAD:
            return found
        before = len(problems)
        value = self.read(row, self.field, problems)
        if len(problems) == before and len(self.seen) < _MEMO:
            self.seen[text] = value
        return value


class _Reader:
    """What turns a table's rows into projects, worked out once for the table: which
    fields it has, and a remembering reader for each column of few distinct texts."""

    def __init__(
        self,
        table: Table,
        plan_year: int | None,
        amounts: MoneyColumns,
        natures: Mapping[str, Stage],
        default_category: Category | None = None,
    ) -> None:
        columns = table.columns
        self.table, self.columns, self.plan_year, self.amounts = table, columns, plan_year, amounts
        self.natures, self.default_category = natures, default_category
        self.content = "content" in columns
        self.names = tuple(f for f in _NAMES if f in columns)
        self.labels = tuple(
            (f, _Memo(f, functools.partial(_label, kind))) for f, kind in _LABELS if f in columns
        )
        self.years = tuple((f, _Memo(f, year)) for f in _YEARS if f in columns)
        self.days = tuple((f, _Memo(f, day)) for f in _DAYS if f in columns)
        self.span = _Memo("years", _span) if "years" in columns else None
        self.nature = _Memo("nature", self._nature) if "nature" in columns else None
        self.sections: dict[str, tuple[Category | None, Stage | None]] = {}
        self.category = "category" in columns
        self.total = "total_investment" in columns
        self.year_columns = tuple(f for f in ("start_year", "end_year") if f in columns)
        # the plan year of every row when the sheet has no 计划年度 column
        self.header_plan_year = plan_year if "plan_year" not in columns else None

    def project(
        self,
        row: Row,
        old: Project | None,
        code: str | None,
        problems: list[FieldError],
        *,
        reported: bool = False,
        at: int | None = None,
    ) -> Project | None:
        """The project ``row`` describes (``old`` with the file's columns laid over it;
        ``reported``: the ledger holds progress of it; ``at``: its place in the table)."""
        before = len(problems)
        get = row.values.get
        values: dict[str, Any] = {"code": code, "name": get("name") or None}
        if code is None:
            problems.append(row.error("code", "a project code"))
        if values["name"] is None:
            problems.append(row.error("name", "a project name"))
        if self.content:
            values["content"] = get("content") or ""
        for field in self.names:
            values[field] = get(field) or None
        for field, read in self.labels:
            member = read.seen.get(get(field), _BAD)  # the memo's lookup, without a call
            if member is _BAD:
                member = read(row, problems)
            if member is not None:
                values[field] = member
        if self.nature is not None or row.section is not None:
            values.update(self._context(row, values, problems))
        if "category" not in values and old is None and self.default_category is not None:
            values["category"] = self.default_category
        if "category" not in values and old is None and not (self.category and get("category")):
            problems.append(
                row.error(
                    "category", "a 项目类别 for a new project: 基础设施、产业、民生 or 城市更新"
                )
            )
        if self.span is not None or self.year_columns:
            values.update(self._years(row, problems))
        for field, read in self.years:
            found = read.seen.get(get(field), _BAD)
            values[field] = read(row, problems) if found is _BAD else found
        if self.header_plan_year is not None:
            values["plan_year"] = self.header_plan_year
        for field, read in self.days:
            found = read.seen.get(get(field), _BAD)
            values[field] = read(row, problems) if found is _BAD else found
        money = self.amounts.read(row, problems, old.currency if old else None, at)
        given = money.given
        values.update(given)
        if money.blank:
            zero = Money.zero(money.currency)
            values.update(dict.fromkeys(money.blank, zero))
        if old is not None and given and money.currency != old.currency:
            problem = _currency(row, old, money, reported, values)
            if problem is not None:
                problems.append(problem)
        total = given.get("total_investment")
        if total is not None and len(problems) == before:
            gov, social = given.get("government_investment"), given.get("social_investment")
            # one currency here (another is a problem already): the amounts add as decimals
            if (
                gov is not None
                and social is not None
                and _disagree(gov.amount, social.amount, total.amount)
            ):
                expected = (
                    f"政府投资 + 社会投资 = {(gov + social).format_cn()} (the total investment)"
                )
                problems.append(row.error("total_investment", expected))
        if len(problems) > before:
            return None
        if total is None:
            values.pop("total_investment", None)
        try:
            return _build(old, values)
        except ValidationError as err:
            problems.extend(_relocate(row, self.columns, err))
            return None

    def quick(self, codes: Sequence[str | None]) -> list[Project | None] | None:
        """The new project of each row whose cells are all of the usual kind, read a
        column at a time (``None`` for any other row, which :meth:`project` reads and
        says what is wrong with; ``None`` for a table with 建设性质 or 开工/竣工年份
        columns, without 总投资, or with amounts in more than one currency or a unit
        smaller than 元). The usual kind: a code and a name, a category, every label,
        year and day a text its column's reader has read without a problem, every amount
        a bare number in its column's unit (or blank, but for 总投资), 政府投资 +
        社会投资 = 总投资, no section. The record is made, and so checked, by
        :class:`Project` itself, from the values :meth:`project` would give it."""
        amounts = self.amounts
        currency = amounts.currency
        if self.nature is not None or self.year_columns or currency is None:
            return None
        fens = {f: amounts.fens(f) for f in amounts.fields}
        if "total_investment" not in fens or None in fens.values():
            return None
        found: list[Project | None] = []
        rows = self.table.rows
        for start in range(0, len(rows), _QUICK_ROWS):  # a block at a time: bounded memory
            stop = min(start + _QUICK_ROWS, len(rows))
            found += self._quick(rows[start:stop], codes[start:stop], fens, start, currency)
        return found

    def _quick(
        self,
        rows: Sequence[Row],
        codes: Sequence[str | None],
        fens: Mapping[str, Sequence[int] | None],
        start: int,
        currency: str,
    ) -> list[Project | None]:
        fields = tuple(self.columns)
        columns: dict[str, Sequence[str | None]]
        try:  # a table's rows hold every column's field: one look-up a row
            pick = operator.itemgetter(*fields) if len(fields) > 1 else None
            picked = [pick(r.values) for r in rows] if pick else ()
            columns = dict(zip(fields, zip(*picked))) if pick else {}  # noqa: B905
        except KeyError:
            columns = {}
        if not columns:
            columns = {f: tuple(r.values.get(f) for r in rows) for f in fields}

        def texts(field: str) -> Sequence[str | None]:
            return columns.get(field) or (None,) * len(rows)

        keys: list[str] = ["code", "name"]
        lists: list[list[Any]] = [list(codes), [t or None for t in texts("name")]]
        if self.content:
            keys.append("content")
            lists.append([t or "" for t in texts("content")])
        for field in self.names:
            keys.append(field)
            lists.append([t or None for t in texts(field)])
        memos = [*self.labels, *self.years, *self.days]
        if self.span is not None:
            memos.append(("years", self.span))
        for field, read in memos:
            column = texts(field)
            _learn(read, rows, column)
            values = [read.seen.get(t, _BAD) for t in column]
            if field == "years":
                keys += ["start_year", "end_year"]
                spans = [(None, None) if s is None else s for s in values]
                lists.append([_BAD if s is _BAD else s[0] for s in spans])
                lists.append([_BAD if s is _BAD else s[1] for s in spans])
                continue
            if field == "category":
                default = self.default_category
                instead = _BAD if default is None else default  # a new project needs one
                values = [instead if m is None else m for m in values]
            keys.append(field)
            lists.append(values)  # None: a blank label, the project's default
        if "category" not in keys:
            return [None] * len(rows)  # project() says what a new project lacks
        if self.header_plan_year is not None:
            keys.append("plan_year")
            lists.append([self.header_plan_year] * len(rows))
        cells = {f: c[start : start + len(rows)] for f, c in fens.items() if c is not None}
        from_fen, zero = Money.from_fen, Money.zero(currency)
        for field, column_fens in cells.items():
            keys.append(field)
            lists.append([
                from_fen(f, currency) if 0 <= f < FEN_LIMIT
                else zero if f == BLANK and field != "total_investment"
                else _BAD
                for f in column_fens
            ])  # fmt: skip
        usual = [r.section is None for r in rows]  # a section's context: project() reads it
        for values in lists[:2]:  # the code and the name
            for at in [i for i, v in enumerate(values) if v is None]:
                usual[at] = False
        for values in lists[2:]:
            for at in [i for i, v in enumerate(values) if v is _BAD]:
                usual[at] = False
        gov, social = cells.get("government_investment"), cells.get("social_investment")
        if gov is not None and social is not None:
            total = cells["total_investment"]
            for at, (g, s, t) in enumerate(zip(gov, social, total)):  # noqa: B905
                if g >= 0 and s >= 0 and _disagree(g, s, t):  # both bare numbers of fen
                    usual[at] = False  # project() says the parts do not add up
        labels = [keys.index(f) for f, _ in self.labels]
        found: list[Project | None] = []
        for ok, given in zip(usual, zip(*lists)):  # noqa: B905 (one list per field)
            if not ok:
                found.append(None)
                continue
            record = dict(zip(keys, given))  # noqa: B905
            for index in labels:
                if given[index] is None:
                    del record[keys[index]]  # a blank label: the project's default
            try:
                found.append(Project(**record))
            except ValidationError:
                found.append(None)  # project() says where
        return found

    def _nature(self, row: Row, field: str, problems: list[FieldError]) -> Stage | None:
        text = cell(row, field)
        if text is None:
            return None
        stage = _nature(text, self.natures)
        if stage is None:
            words = "、".join(self.natures)
            problems.append(row.error("nature", f"a 建设性质 such as {words} (or map it: stages=)"))
        return stage

    def _context(
        self, row: Row, values: Mapping[str, Any], problems: list[FieldError]
    ) -> dict[str, Any]:
        """The stage a 建设性质 cell gives, and the category or stage of the row's section."""
        found: dict[str, Any] = {}
        stage = self.nature(row, problems) if self.nature is not None else None
        if stage is not None and "stage" not in values:
            found["stage"] = stage
            text = cell(row, "nature")
            if "kind" not in values and text is not None and _plain(text) in RESERVE_NATURES:
                found["kind"] = ProjectKind.RESERVE
        if row.section is None:
            return found
        if row.section not in self.sections:
            category = Category.lookup(row.section)
            section_stage = None if category else _nature(row.section, self.natures)
            self.sections[row.section] = (category, section_stage)
        category, section_stage = self.sections[row.section]
        if category is not None:
            given = values.get("category")
            if given is not None and given != category:
                expected = f"the category of its section {row.section!r} ({category.label_cn})"
                problems.append(row.error("category", expected))
            found.setdefault("category", category)
        elif section_stage is not None:
            given, field = (
                (values["stage"], "stage") if "stage" in values else (found.get("stage"), "nature")
            )
            if given is not None and given != section_stage:
                expected = f"the stage of its section {row.section!r} ({section_stage.label_cn})"
                problems.append(row.error(field, expected))
            elif given is None:
                found["stage"] = section_stage
        return found

    def _years(self, row: Row, problems: list[FieldError]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        if self.span is not None:
            found = {"start_year": None, "end_year": None}
            span = self.span.seen.get(row.values.get(self.span.field), _BAD)
            if span is _BAD:  # not read yet, or refused (read again, to say so here)
                span = self.span(row, problems)
            if span is _BAD:
                return found
            if span is not None:
                found = {"start_year": span[0], "end_year": span[1]}
        for field in self.year_columns:
            if cell(row, field) is not None or field not in found:
                found[field] = year(row, field, problems)
        return found


def _disagree(gov: _N, social: _N, total: _N) -> bool:
    """Whether 政府投资 and 社会投资 given beside a 总投资 fail to add up to it; 0 and 0 is a
    total known before its split, as blank parts are.

    >>> _disagree(1200, 300, 1500), _disagree(1200, 0, 1500), _disagree(0, 0, 1500)
    (False, True, False)
    """
    parts = gov + social
    return parts != 0 and parts != total


def _learn(memo: _Memo, rows: Sequence[Row], texts: Sequence[str | None]) -> None:
    """Have ``memo`` read each distinct text of its column once (at its first row), so
    what it remembers covers the column; a refused text is left for :meth:`_Reader.project`
    to say at each of its rows."""
    first: dict[str | None, int] = {}
    for at, text in enumerate(texts):
        if text not in first:
            first[text] = at
            if len(first) > _MEMO:
                break
    for text, at in first.items():
        if text not in memo.seen:
            memo(rows[at], [])


def _label(kind: type[LabelledEnum], row: Row, field: str, problems: list[FieldError]) -> Any:
    return label(kind, row, field, problems)


def _span(row: Row, field: str, problems: list[FieldError]) -> Any:
    """The (start, end) years of an 起止年限 cell; ``None`` when blank, :data:`_BAD`
    (after saying why) when it is none."""
    text = cell(row, field)
    if text is None:
        return None
    span = parse_years(text)
    if span is None or not all(y is None or 1900 <= y <= 2200 for y in span):
        problems.append(
            row.error("years", "起止年限 such as 2012-2015, 2013-03/2015-12, 2013 or -2015")
        )
        return _BAD
    return span


def _natures(stages: Mapping[str, str | Stage] | None) -> Mapping[str, Stage]:
    """:data:`NATURE_STAGES` with the town's words laid over it."""
    found = dict(NATURE_STAGES)
    for word, stage in (stages or {}).items():
        found["".join(unicodedata.normalize("NFKC", word).split())] = (
            stage if isinstance(stage, Stage) else Stage.parse(stage)
        )
    return found


def _nature(text: str, natures: Mapping[str, Stage]) -> Stage | None:
    body = "".join(unicodedata.normalize("NFKC", text).split())
    for candidate in (body, body.removesuffix("项目"), body.removesuffix("类")):
        if candidate in natures:
            return natures[candidate]
    return None


def _plain(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).removesuffix("项目")


def _build(old: Project | None, values: dict[str, Any]) -> Project:
    if old is None:
        return Project(**values)
    merged = {**attrs.asdict(old, recurse=False), **values}
    parts = ("government_investment", "social_investment")
    if "total_investment" not in values and any(f in values for f in parts):
        gov, social = merged["government_investment"], merged["social_investment"]
        merged["total_investment"] = gov + social if gov.currency == social.currency else gov
    return Project(**merged)


def _relocate(row: Row, columns: Mapping[str, Any], err: ValidationError) -> list[FieldError]:
    """The record's problems, located at the cells they came from."""
    located = []
    for problem in err.errors:
        field = problem.field or "code"
        if field in ("start_year", "end_year") and field not in columns and "years" in columns:
            field = "years"
        located.append(row.error(field, problem.expected, row.values.get(field) or problem.value))
    return located


def _references(
    store: LedgerStore, built: Sequence[tuple[Row, Project]], create_missing: bool
) -> tuple[tuple[str, ...], tuple[str, ...], list[FieldError]]:
    """Zones and units the ledger lacks (in the order the sheet first names them), and
    (without ``create_missing``) the cells that name them."""
    zones = {z.name for z in store.zones()}
    units = {u.name for u in store.units()}
    new_zones = tuple(
        dict.fromkeys(z for _, p in built if (z := p.zone) is not None and z not in zones)
    )
    new_units = tuple(
        dict.fromkeys(
            u for _, p in built if (u := p.responsible_unit) is not None and u not in units
        )
    )
    if create_missing or not (new_zones or new_units):
        return new_zones, new_units, []
    conflicts: list[FieldError] = []
    for row, project in built:
        for field, value, known in (
            ("zone", project.zone, zones),
            ("responsible_unit", project.responsible_unit, units),
        ):
            if value is not None and value not in known:
                what = "a zone" if field == "zone" else "a unit"
                expected = f"{what} in the ledger (or import with create_missing=True)"
                conflicts.append(row.error(field, expected, value))
    return (), (), conflicts


def _differences(old: Project, new: Project) -> tuple[str, ...]:
    return tuple(
        f.name for f in attrs.fields(Project) if getattr(old, f.name) != getattr(new, f.name)
    )
