"""The shape every report has: a title, a headline, text sections, tables and charts —
plain typed data.

Report builders (the bulletin, the year summary, the ranking notice, or your own) produce
a :class:`Report`; the renderers turn any report into Markdown, HTML, Word, CSV, Excel and
PNG. Cells keep their types (``Money``, ``Decimal`` rates, dates, ``Light``) until a
renderer formats them, so a CSV total is exact and an Excel cell is a number.

A part is data: a :class:`Section` (a titled list of paragraphs) or a :class:`Table`
added to a report (:meth:`Report.extended`) renders in every format, with no renderer
touched.

>>> from decimal import Decimal
>>> from townplan.model.money import Money
>>> t = Table(
...     key="zones", title_cn="分板块", title_en="By zone",
...     columns=(Column("zone", "板块", "Zone"), Column("plan", "计划", "Plan", Kind.MONEY),
...              Column("rate", "完成率", "Rate", Kind.RATE)),
...     rows=(("水乡新城区", Money.parse("2亿"), Decimal("0.456")),),
... )
>>> t.column("plan").header("cn")
'计划（万元）'
>>> format_cell(Money.parse("2亿"), Kind.MONEY)
'20,000.00'
>>> format_cell(date(2013, 7, 5), Kind.DATE), format_cell(date(2013, 7, 5), Kind.DATE, "en")
('2013年7月5日', '2013-07-05')
>>> format_cell(Decimal("0.456"), Kind.RATE)
'45.6%'
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Literal

import attrs

from townplan.errors import NotFoundError
from townplan.model.money import Money
from townplan.reports.cn import date_cn

__all__ = [
    "Cell",
    "Chart",
    "Column",
    "Kind",
    "Lang",
    "Report",
    "Section",
    "Series",
    "Table",
    "format_cell",
    "headline_value",
    "label",
    "text_rows",
]

Lang = Literal["cn", "en"]
Cell = str | int | Decimal | Money | date | enum.Enum | None


class Kind(enum.StrEnum):
    """How a column's cells are shown."""

    TEXT = "text"
    INT = "int"
    MONEY = "money"  # shown in 万元 with two decimals; the header carries the unit
    RATE = "rate"  # a fraction shown as a percentage with one decimal
    NUMBER = "number"  # a plain decimal (scores, measures)
    DATE = "date"
    LABEL = "label"  # an enum shown by its Chinese or English label


@attrs.frozen
class Column:
    """One column: its key, its Chinese and English headers, and how to show it."""

    key: str
    title_cn: str
    title_en: str
    kind: Kind = Kind.TEXT
    unit_cn: str | None = None
    unit_en: str | None = None
    places: int | None = None  # decimals shown for NUMBER cells (None: as the value has)

    def show(self, value: Cell, lang: Lang = "cn") -> str:
        """A cell of this column as text."""
        return format_cell(value, self.kind, lang, self.places)

    def header(self, lang: Lang) -> str:
        """The header in ``lang``, with the unit (money columns: 万元 unless told)."""
        money = self.kind is Kind.MONEY
        if lang == "cn":
            unit = self.unit_cn or ("万元" if money else None)
            return f"{self.title_cn}（{unit}）" if unit else self.title_cn
        unit = self.unit_en or ("10k CNY" if money else None)
        return f"{self.title_en} ({unit})" if unit else self.title_en


@attrs.frozen
class Table:
    """A titled table of typed cells; ``total`` is an optional last row (合计)."""

    key: str
    title_cn: str
    title_en: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    total: tuple[Cell, ...] | None = None
    note_cn: str = ""
    note_en: str = ""

    def __attrs_post_init__(self) -> None:
        width = len(self.columns)
        for row in (*self.rows, *([self.total] if self.total else [])):
            if len(row) != width:
                raise ValueError(f"table {self.key}: a row has {len(row)} cells, not {width}")

    def title(self, lang: Lang) -> str:
        """The title in ``lang``."""
        return self.title_cn if lang == "cn" else self.title_en

    def column(self, key: str) -> Column:
        """The column named ``key``."""
        for column in self.columns:
            if column.key == key:
                return column
        raise NotFoundError(f"table {self.key} has no column {key!r}")

    def values(self, key: str) -> list[Cell]:
        """The cells of one column (without the total row)."""
        index = self.columns.index(self.column(key))
        return [row[index] for row in self.rows]


@attrs.frozen
class Section:
    """A titled list of paragraphs (总体情况, 存在问题, 下一步工作, or any a report adds).

    ``placeholder`` marks text the office writes itself: renderers show it as a prompt to
    fill in (in Word, a highlighted paragraph). ``paragraphs_en`` may be empty: an
    English rendering then shows the Chinese text.
    """

    key: str
    title_cn: str
    title_en: str
    paragraphs_cn: tuple[str, ...]
    paragraphs_en: tuple[str, ...] = ()
    placeholder: bool = False

    def title(self, lang: Lang) -> str:
        """The title in ``lang``."""
        return self.title_cn if lang == "cn" else self.title_en

    def paragraphs(self, lang: Lang) -> tuple[str, ...]:
        """The paragraphs in ``lang`` (Chinese when there is no English text)."""
        return self.paragraphs_en if lang == "en" and self.paragraphs_en else self.paragraphs_cn


@attrs.frozen
class Series:
    """One named series of a chart."""

    name_cn: str
    name_en: str
    values: tuple[Decimal, ...]


@attrs.frozen
class Chart:
    """Data for one chart. ``kind`` is "bars" (grouped bars per category), "counts"
    (one bar per category) or "line" (one line per series over the categories).
    ``categories_en`` labels the categories when Chinese cannot be drawn."""

    key: str
    kind: Literal["bars", "counts", "line"]
    title_cn: str
    title_en: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    unit_cn: str = ""
    unit_en: str = ""
    categories_en: tuple[str, ...] | None = None

    def labels(self, lang: Lang) -> tuple[str, ...]:
        """Category labels in ``lang`` (numbered when no English names are given)."""
        if lang == "cn":
            return self.categories
        if self.categories_en is not None:
            return self.categories_en
        return tuple(f"#{i}" for i in range(1, len(self.categories) + 1))


@attrs.frozen
class Report:
    """A report: what it is, the day it is as of, a headline, text sections, tables (the
    annexes of a Word document, 附件) and charts.

    ``issuer_cn`` is the issuing office (发文机关) and ``number`` the issue number (期号) a
    Word document prints; both can be given again when rendering.

    ``unseen`` is how many facts of the report's period were recorded after the day it is
    as of — what the cut leaves out (a past year loaded today without its record times,
    reports that came in later); ``notes_cn`` / ``notes_en`` say what else the reader must
    know (months or units without data). Every format shows them as notes:

    >>> r = Report("demo", "示例", "Demo", date(2013, 7, 15), (), (), unseen=36)
    >>> r.notes("cn")
    ('注：本期另有36条记录在2013年7月15日之后录入，未计入本报告；按更晚的日期生成即可计入。',)
    >>> r.notes("en")[0][:65]
    'Note: 36 records of this period were recorded after 2013-07-15 an'
    """

    kind: str
    title_cn: str
    title_en: str
    as_of: date
    headline: tuple[tuple[str, str, Cell, Kind], ...]
    tables: tuple[Table, ...]
    figures: tuple[Chart, ...] = ()
    subtitle_cn: str = ""
    subtitle_en: str = ""
    sections: tuple[Section, ...] = ()
    issuer_cn: str = ""
    number: int | None = None
    unseen: int = 0
    notes_cn: tuple[str, ...] = ()
    notes_en: tuple[str, ...] = ()

    def notes(self, lang: Lang = "cn") -> tuple[str, ...]:
        """What the reader must know besides the figures, in ``lang``: what the cut
        leaves out (:attr:`unseen`), then the report's own notes."""
        notes: list[str] = []
        if self.unseen:
            if lang == "cn":
                notes.append(f"注：本期另有{self.unseen}条记录在{date_cn(self.as_of)}之后录入，"
                             "未计入本报告；按更晚的日期生成即可计入。")  # fmt: skip
            else:
                notes.append(f"Note: {self.unseen} records of this period were recorded after "
                             f"{self.as_of.isoformat()} and are not in this report; build it "
                             "as of a later day to include them.")  # fmt: skip
        own = self.notes_en if lang == "en" and self.notes_en else self.notes_cn
        return (*notes, *own)

    def extended(self, *parts: Section | Table | Chart) -> Report:
        """This report with more parts: each section, table or chart goes after those of
        its kind, and shows in every format.

        >>> r = Report("demo", "示例", "Demo", date(2013, 6, 30), (), ())
        >>> more = r.extended(Section("next", "下一步工作", "Next steps", ("加快进度。",)))
        >>> [s.key for s in more.sections], r.sections
        (['next'], ())
        """
        return attrs.evolve(
            self,
            sections=(*self.sections, *(p for p in parts if isinstance(p, Section))),
            tables=(*self.tables, *(p for p in parts if isinstance(p, Table))),
            figures=(*self.figures, *(p for p in parts if isinstance(p, Chart))),
        )

    def title(self, lang: Lang) -> str:
        """The title in ``lang``."""
        return self.title_cn if lang == "cn" else self.title_en

    def table(self, key: str) -> Table:
        """The table named ``key``."""
        for table in self.tables:
            if table.key == key:
                return table
        raise NotFoundError(f"report {self.kind} has no table {key!r}")

    # Renderers live in their own modules; these methods are the one-look front door.
    def to_markdown(self, lang: Lang = "cn") -> str:
        """Markdown text (see :mod:`townplan.reports.markdown`)."""
        from townplan.reports.markdown import to_markdown

        return to_markdown(self, lang)

    def to_html(self, lang: Lang = "cn", *, charts: bool = True) -> str:
        """A standalone HTML page, the charts in it (see :mod:`townplan.reports.html`)."""
        from townplan.reports.html import to_html

        return to_html(self, lang, charts=charts)

    def to_csv(self, directory: str | Path, lang: Lang = "cn") -> list[Path]:
        """One CSV file per table in ``directory`` (see :mod:`townplan.reports.files`)."""
        from townplan.reports.files import to_csv

        return to_csv(self, directory, lang)

    def to_xlsx(self, path: str | Path, lang: Lang = "cn") -> Path:
        """An Excel workbook, one sheet per table (see :mod:`townplan.reports.files`)."""
        from townplan.reports.files import to_xlsx

        return to_xlsx(self, path, lang)

    def to_docx(
        self,
        path: str | Path,
        *,
        issuer: str | None = None,
        number: int | None = None,
        signed: str | None = None,
        on: date | None = None,
    ) -> Path:
        """A Word document laid out per GB/T 9704-2012 (see :mod:`townplan.reports.word`):
        ``issuer`` (发文机关), ``number`` (期号), ``signed`` (落款) and ``on`` (成文日期)
        default to the report's own."""
        from townplan.reports.word import to_docx

        return to_docx(self, path, issuer=issuer, number=number, signed=signed, on=on)

    def charts(self, directory: str | Path, lang: Lang = "cn") -> list[Path]:
        """One PNG per figure in ``directory`` (see :mod:`townplan.reports.charts`)."""
        from townplan.reports.charts import render_charts

        return render_charts(self, directory, lang)


_TEN_THOUSAND = Decimal(10_000)


def format_cell(value: Cell, kind: Kind, lang: Lang = "cn", places: int | None = None) -> str:
    """A cell as text: money in 万元 (two decimals, thousands separated), rates as
    percentages with one decimal, dates and labels as ``lang`` writes them."""
    if value is None:
        return "—" if kind in (Kind.RATE, Kind.NUMBER) else ""
    if isinstance(value, Money):
        amount = (value.amount / _TEN_THOUSAND).quantize(Decimal("0.01"), ROUND_HALF_UP)
        suffix = "" if value.currency == "CNY" else f" {value.currency}"
        return f"{amount:,f}{suffix}"
    if isinstance(value, enum.Enum):
        return label(value, lang)
    if isinstance(value, Decimal):
        if kind is Kind.RATE:
            return f"{(value * 100).quantize(Decimal('0.1'), ROUND_HALF_UP):f}%"
        if places is not None:
            return f"{value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP):,f}"
        return f"{value:f}"
    if isinstance(value, int) and not isinstance(value, bool) and kind is Kind.INT:
        return f"{value:,}"
    if isinstance(value, date):
        return date_cn(value) if lang == "cn" else value.isoformat()
    return str(value)


def label(value: enum.Enum, lang: Lang = "cn") -> str:
    """An enum member as an official reads it: its Chinese label, or its value in English."""
    text = getattr(value, "label_cn", None) if lang == "cn" else None
    return text if isinstance(text, str) else str(value.value)


def headline_value(value: Cell, kind: Kind, lang: Lang = "cn") -> str:
    """A headline figure: money the official way ("1.27亿美元"), others as in tables."""
    if isinstance(value, Money):
        if lang == "cn":  # rounded to 0.01 of its unit, written without trailing zeros
            return value.format_cn(places=2, trim=True)
        return f"{value.amount.quantize(Decimal('0.01'), ROUND_HALF_UP):,f} {value.currency}"
    return format_cell(value, kind, lang)


def text_rows(table: Table, lang: Lang) -> list[list[str]]:
    """Every row (the total last) as formatted text."""
    rows: Sequence[tuple[Cell, ...]] = (*table.rows, *([table.total] if table.total else []))
    return [
        [column.show(cell, lang) for cell, column in zip(row, table.columns, strict=True)]
        for row in rows
    ]
