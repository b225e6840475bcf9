"""Full-text search over project names and contents, task texts and progress notes.

On the live ledger a query of three characters or more goes through SQLite FTS5 with the
trigram tokenizer (Chinese included) and is ranked by bm25; the text is always passed as
one FTS5 string (quoted, inner quotes doubled), never as FTS syntax. Shorter queries, text
containing NUL, and every search in an as-of view match the literal substring instead
(ASCII case folded, like the trigram index) and rank by where the match starts, a match
in a project's name before one in its content. As of a day, hits are the records as they
stood then.

>>> from townplan.ledger import LedgerStore
>>> import townplan as tp
>>> ledger = LedgerStore.open(":memory:")
>>> _ = ledger.add_project(tp.Project(code="P03", name="华阳湿地生态公园",
...                               category=tp.Category.INFRASTRUCTURE))
>>> [(h.kind, h.key, h.snippet) for h in SearchQuery(reader=ledger, text="湿地")]
[('project', 'P03', '华阳【湿地】生态公园')]
>>> [h.key for h in SearchQuery(reader=ledger, text="湿地生态")]
['P03']
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, ClassVar, Final, Self

import attrs

from townplan.errors import ValidationError
from townplan.ledger.reads import LedgerReader
from townplan.ledger.rows import progress_from_row, project_from_row, task_from_row
from townplan.model.records import ProgressReport, Project, Task
from townplan.query.base import BATCH, BaseQuery, execute
from townplan.query.fields import Field, FieldSet, Kind
from townplan.query.sql import Fragment, join

__all__ = ["KINDS", "SEARCH_FIELDS", "SearchHit", "SearchQuery", "fts_string"]

#: What a hit can be (ties in rank are broken by kind name, then key).
KINDS: Final = ("project", "task", "progress")
_WINDOW: Final = 12


def fts_string(text: str) -> str:
    """``text`` as one FTS5 string literal: quoted, inner double quotes doubled.

    >>> fts_string('湿地" OR x')
    '"湿地"" OR x"'
    """
    return '"' + text.replace('"', '""') + '"'


@attrs.frozen
class SearchHit:
    """One record that matched: what it is, its code (or report id), a title, the text
    around the match (marked 【】), its rank (lower is better) and the record itself."""

    kind: str
    key: str
    title: str
    snippet: str
    rank: float
    record: Project | Task | ProgressReport


def _check_text(text: object) -> str:
    if not isinstance(text, str) or not text.strip():
        raise ValidationError.single(
            record="search", field="text", value=text, expected="non-empty text to search for"
        )
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError.single(
            record="search", field="text", value=text, expected="valid Unicode text"
        ) from None
    return text


#: What a search filters and orders by: the kind of hit, its key and its rank.
SEARCH_FIELDS = FieldSet(
    "search",
    (
        Field("kind", "x.kind", Kind.TEXT), Field("key", "x.key", Kind.TEXT),
        Field("rank", "x.rank", Kind.DECIMAL),
    ),
)  # fmt: skip


@attrs.frozen(kw_only=True)
class SearchQuery(BaseQuery[SearchHit]):
    """A lazily executed, ranked search: the best hit first (lowest rank, then kind and
    key), with the verbs of every query (``where(kind=...)``, ``limit``, ``count`` …)."""

    FIELDS: ClassVar[FieldSet] = SEARCH_FIELDS
    KEY: ClassVar[tuple[str, ...]] = ("rank", "kind", "key")

    text: str = attrs.field(converter=_check_text)
    kinds_wanted: tuple[str, ...] = KINDS

    def kinds(self, *kinds: str) -> Self:
        """Only hits of these kinds ("project", "task", "progress")."""
        for kind in kinds:
            if kind not in KINDS:
                raise ValidationError.single(
                    record="search", field="kinds", value=kind, expected=f"one of {KINDS}"
                )
        return attrs.evolve(self, kinds_wanted=tuple(k for k in KINDS if k in kinds))

    @property
    def uses_index(self) -> bool:
        """True when the FTS5 trigram index answers (live view, ≥ 3 characters, no NUL)."""
        return self.reader.cut is None and len(self.text) >= 3 and "\0" not in self.text

    def _source(self) -> Fragment:
        build = _indexed if self.uses_index else _literal
        parts = [build[kind](self.reader, self.text) for kind in self.kinds_wanted]
        if not parts:
            return Fragment("SELECT NULL AS kind, NULL AS key, NULL AS rank WHERE 0")
        return join(" UNION ALL ", parts)

    def __iter__(self) -> Iterator[SearchHit]:
        # The records behind the hits are read a batch of hits at a time.
        batch: list[dict[str, Any]] = []
        for row in execute(self.reader, self._select().fragment()):
            batch.append(row)
            if len(batch) == BATCH:
                yield from self._hits(batch)
                batch = []
        yield from self._hits(batch)

    def _record(self, row: Mapping[str, Any]) -> SearchHit:
        return next(self._hits([dict(row)]))

    def _hits(self, rows: list[dict[str, Any]]) -> Iterator[SearchHit]:
        records = {kind: _load(self.reader, kind, [r["key"] for r in rows if r["kind"] == kind])
                   for kind in self.kinds_wanted}  # fmt: skip
        for row in rows:
            record = records[row["kind"]][row["key"]]
            title, texts = _texts(record)
            yield SearchHit(
                kind=row["kind"], key=row["key"], title=title,
                snippet=_snippet(texts, self.text), rank=float(row["rank"]), record=record,
            )  # fmt: skip


def _texts(record: Project | Task | ProgressReport) -> tuple[str, list[str]]:
    if isinstance(record, Project):
        return record.name, [record.name, record.content]
    if isinstance(record, Task):
        return record.text, [record.text]
    return f"{record.project} {record.period}", [record.note]


def _snippet(texts: list[str], needle: str) -> str:
    folded = needle.lower()
    for text in texts:
        at = text.lower().find(folded)
        if at >= 0:
            start, end = max(0, at - _WINDOW), at + len(needle)
            before = ("…" if start else "") + text[start:at]
            after = text[end : end + _WINDOW] + ("…" if end + _WINDOW < len(text) else "")
            return f"{before}【{text[at:end]}】{after}"
    return texts[0][: 2 * _WINDOW]


def _load(reader: LedgerReader, kind: str, keys: list[str]) -> dict[str, Any]:
    if not keys:
        return {}
    marks = ", ".join("?" for _ in keys)
    if kind == "project":
        source = Fragment.relation(*reader.relation("projects"))
        sql = "SELECT * FROM (" + source + Fragment(f") WHERE code IN ({marks})", tuple(keys))
        return {r["code"]: project_from_row(r) for r in execute(reader, sql)}
    if kind == "task":
        sql = Fragment(f"SELECT * FROM milestones WHERE code IN ({marks})", tuple(keys))
        return {r["code"]: task_from_row(r) for r in execute(reader, sql)}
    source = Fragment.relation(*reader.relation("progress"))
    ids = tuple(int(k) for k in keys)
    sql = "SELECT * FROM (" + source + Fragment(f") WHERE id IN ({marks})", ids)
    return {str(r["id"]): progress_from_row(r) for r in execute(reader, sql)}


def _task_scope(reader: LedgerReader) -> Fragment:
    if reader.cut is None:
        return Fragment("")
    return Fragment(
        " AND m.group_code IN (SELECT code FROM leading_groups "
        "WHERE established IS NULL OR established <= ?)",
        (reader.cut.isoformat(),),
    )


def _project_fts(reader: LedgerReader, text: str) -> Fragment:
    return Fragment(
        "SELECT 'project' AS kind, p.code AS key, bm25(projects_fts) AS rank FROM projects_fts "
        "JOIN projects AS p ON p.rowid = projects_fts.rowid WHERE projects_fts MATCH ?",
        (fts_string(text),),
    )


def _task_fts(reader: LedgerReader, text: str) -> Fragment:
    return Fragment(
        "SELECT 'task' AS kind, m.code AS key, bm25(milestones_fts) AS rank FROM milestones_fts "
        "JOIN milestones AS m ON m.rowid = milestones_fts.rowid WHERE milestones_fts MATCH ?",
        (fts_string(text),),
    )


def _progress_fts(reader: LedgerReader, text: str) -> Fragment:
    progress = Fragment.relation(*reader.relation("progress"))
    return (
        "SELECT 'progress' AS kind, CAST(g.id AS TEXT) AS key, bm25(progress_fts) AS rank "
        "FROM progress_fts JOIN ("
        + progress
        + ") AS g ON g.id = progress_fts.rowid "
        + Fragment("WHERE progress_fts MATCH ?", (fts_string(text),))
    )


def _found(column: str) -> str:
    return f"instr(lower({column}), lower(?))"


def _project_literal(reader: LedgerReader, text: str) -> Fragment:
    projects = Fragment.relation(*reader.relation("projects"))
    name, content = _found("p.name"), _found("p.content")
    return (
        Fragment(
            f"SELECT 'project' AS kind, p.code AS key, CASE WHEN {name} > 0 THEN {name} "
            f"ELSE 1000000 + {content} END AS rank FROM (",
            (text, text, text),
        )
        + projects
        + Fragment(f") AS p WHERE {name} > 0 OR {content} > 0", (text, text))
    )


def _task_literal(reader: LedgerReader, text: str) -> Fragment:
    found = _found("m.text")
    return Fragment(
        f"SELECT 'task' AS kind, m.code AS key, {found} AS rank FROM milestones AS m "
        f"WHERE {found} > 0",
        (text, text),
    ) + _task_scope(reader)


def _progress_literal(reader: LedgerReader, text: str) -> Fragment:
    progress = Fragment.relation(*reader.relation("progress"))
    found = _found("g.note")
    return (
        Fragment(
            f"SELECT 'progress' AS kind, CAST(g.id AS TEXT) AS key, {found} AS rank FROM (",
            (text,),
        )
        + progress
        + Fragment(f") AS g WHERE {found} > 0", (text,))
    )


_indexed: Final = {"project": _project_fts, "task": _task_fts, "progress": _progress_fts}
_literal: Final = {
    "project": _project_literal,
    "task": _task_literal,
    "progress": _progress_literal,
}
