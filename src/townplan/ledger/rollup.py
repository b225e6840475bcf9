"""Rolling town ledgers up into one city ledger (汇总), again and again.

Every record keeps its town and nothing collides: codes of projects, leading groups,
tasks, targets and attraction figures, and the names of zones and units, become
``<town>/<code>`` (zone "水乡新城区" of two towns are two zones); ``Project.town`` is the
town. Free text (leaders, villages, notes, who raised a problem) is copied as written.
Entries keep their kind and get the subject ``<town>/<subject>``. Other tables keyed by
``code`` (problems, inspections, findings …) come along with their code and their
references to the records above prefixed; tables without a code (a town's governance rules, its
``townplan_meta``) and entries that record a town's rules (:data:`TOWN_RULE_KINDS`) are
the town's own business and stay out (:attr:`RollupSummary.skipped`). In entry payloads,
the values of :data:`PAYLOAD_REFERENCES` (``unit``, ``project`` …) are prefixed.

Merging is idempotent and incremental: a project is matched on (town, code) and gets only
the versions the city lacks; a progress entry is matched on (project, month) and its place
in the chain of corrections, with the same record time; an entry on everything it says.
Merging again after a town's new month adds exactly that month — the city then holds the
same records as a rollup from scratch (with other ids: rows are numbered as they arrive).
A town whose history disagrees with what the city holds raises
:class:`~townplan.ConflictError`. Each town is merged in one transaction, whole or not at
all; when a town fails, the towns before it stay merged and merging again is safe.

>>> import townplan as tp
>>> from datetime import date
>>> from townplan.ledger import LedgerStore
>>> town = LedgerStore.open(":memory:")
>>> _ = town.add_zones(["水乡新城区"])
>>> _ = town.add_project(tp.Project(code="P1", name="东环路", category=tp.Category.INFRASTRUCTURE,
...     zone="水乡新城区"), on=date(2013, 1, 1), recorded_at=date(2013, 1, 5))
>>> city = LedgerStore.open(":memory:")
>>> rollup(city, {"麻涌镇": town}).added["projects"]
1
>>> p = city.project("麻涌镇/P1")
>>> p.town, p.zone
('麻涌镇', '麻涌镇/水乡新城区')
>>> rollup(city, {"麻涌镇": town}).added["projects"]
0
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from itertools import groupby
from typing import Any, Final

import attrs

from townplan.errors import ConflictError, FieldError, ValidationError
from townplan.ledger import Entry, LedgerStore
from townplan.ledger.history import (
    ProgressRecord,
    VersionRecord,
    dependency_order,
    generic_tables,
    read_entries,
    read_progress,
    read_table,
    read_versions,
    require_live,
    write_entry,
    write_progress,
    write_versions,
)
from townplan.model.records import Unit, Zone

__all__ = [
    "PAYLOAD_REFERENCES",
    "TOWN_RULE_KINDS",
    "RollupSummary",
    "ledger_id",
    "rollup",
    "town_of",
]

# Which column of each table holds the key that gets the town prefix.
_KEYED: Final = {
    "projects": "code",
    "milestones": "code",
    "leading_groups": "code",
    "targets": "code",
    "attraction": "code",
    "zones": "name",
    "units": "name",
}


# Merged by :meth:`_Merge.funding`, not row by row.
_FUNDING_TABLES: Final = frozenset(
    {"funding_sources", "funding_plans", "funds_receipts", "stats_counts", "deal_utilisations"}
)

#: Entry kinds that record a town's own rules (like its policies): they stay with the town.
TOWN_RULE_KINDS: Final = frozenset({"light_rule"})
#: Payload keys of entries that name a record the rollup prefixes (a workflow step's
#: ``unit``, …); their text values get the town prefix too.
PAYLOAD_REFERENCES: Final = frozenset({"unit", "project", "task", "group", "target"})


@attrs.frozen
class RollupSummary:
    """What a rollup did: the towns merged, what was added (rows per table; new projects
    under ``projects``, every project version written under ``project_versions``) and the
    tables left out."""

    towns: tuple[str, ...]
    added: dict[str, int]
    skipped: tuple[str, ...]


def town_of(store: LedgerStore) -> str | None:
    """The town a ledger belongs to: ``townplan_meta`` key ``town``, if it is set."""
    row = store.db.execute("SELECT value FROM townplan_meta WHERE key = 'town'").fetchone()
    return row[0] if row else None


def rollup(
    city: LedgerStore,
    towns: Mapping[str, LedgerStore] | Iterable[LedgerStore],
    *,
    rule_kinds: Iterable[str] = TOWN_RULE_KINDS,
) -> RollupSummary:
    """Merge town ledgers into ``city``, each town all or nothing; returns what was added.

    ``towns`` maps town names to ledgers, or lists ledgers that name their town in their
    meta (see :func:`town_of`). Entries of ``rule_kinds`` are the towns' own rules and are
    not merged.

    Every record keeps the time its town recorded it, so the city as of any day knows
    what the towns knew then; a rollup writes nothing of its own time, and so takes no
    record time (back-fill a town with ``recorded_at=`` before rolling it up).
    """
    _check_ledger(city, "city")
    require_live(city, "rollup")
    if isinstance(towns, str | bytes) or not isinstance(towns, Mapping | Iterable):
        raise ValidationError.single(
            record="rollup", field="towns", value=towns,
            expected="town ledgers: a mapping of town names to ledgers, or a list of ledgers",
        )  # fmt: skip
    named = list(towns.items()) if isinstance(towns, Mapping) else [(None, t) for t in towns]
    pairs = []
    for key, store in named:
        if key is not None and not isinstance(key, str):
            raise ValidationError.single(
                record="rollup", field="towns", value=key, expected="a town name (text) as key"
            )
        _check_ledger(store, "towns")
        require_live(store, "rollup")
        name = key or town_of(store)
        if not name or "/" in name or name != name.strip():
            raise ValidationError.single(
                record=f"town ledger {store.path}",
                field="town",
                value=name,
                expected="a town name without '/' (a mapping key, or townplan_meta 'town')",
            )
        pairs.append((name, store))
    _check_identities(city, pairs)
    added: dict[str, int] = {}
    skipped: set[str] = set()
    for name, store in pairs:
        # One transaction per town: a town is merged whole or not at all. (One transaction
        # around many towns is several times slower: the full-text index flushes at every
        # savepoint of the growing transaction.)
        with city.transaction():
            merge = _Merge(city, store, name, frozenset(rule_kinds))
            for table, count in merge.run().items():
                added[table] = added.get(table, 0) + count
            identity = ledger_id(store)
            if identity is not None:
                city.db.execute(
                    "INSERT OR REPLACE INTO townplan_meta (key, value) VALUES (?, ?)",
                    [_ROLLED + name, identity],
                )
        skipped.update(merge.skipped)
    return RollupSummary(tuple(n for n, _ in pairs), added, tuple(sorted(skipped)))


_ROLLED: Final = "rollup:"


def ledger_id(store: LedgerStore) -> str | None:
    """A ledger file's identity (``townplan_meta`` key ``ledger_id``, set when the file
    is made; files made before it have none)."""
    row = store.db.execute("SELECT value FROM townplan_meta WHERE key = 'ledger_id'").fetchone()
    return row[0] if row else None


def _check_identities(city: LedgerStore, pairs: list[tuple[str, LedgerStore]]) -> None:
    """Refuse a ledger that is in the city (or in this call) under another name."""
    rolled = {
        value: key[len(_ROLLED) :]
        for key, value in city.db.execute(
            "SELECT key, value FROM townplan_meta WHERE key LIKE 'rollup:%'"
        )
    }
    for name, store in pairs:
        identity = ledger_id(store)
        if identity is None:
            continue
        held = rolled.get(identity)
        if held is not None and held != name:
            raise ConflictError(
                f"the ledger {store.path} is already in the city as {held!r}",
                [FieldError(f"town ledger {store.path}", "town", name,
                            f"{held!r}, the name it was rolled up under")],
            )  # fmt: skip
        rolled[identity] = name


def _check_ledger(value: object, field: str) -> None:
    if not isinstance(value, LedgerStore):
        raise ValidationError.single(
            record="rollup", field=field, value=value, expected="a townplan Ledger"
        )


class _Merge:
    """One town into the city."""

    def __init__(
        self, city: LedgerStore, town: LedgerStore, name: str, rule_kinds: frozenset[str]
    ) -> None:
        self.city, self.town, self.name, self.rule_kinds = city, town, name, rule_kinds
        self.prefix = f"{name}/"
        self.skipped: list[str] = []

    def key(self, value: str | None) -> str | None:
        return None if value is None else self.prefix + value

    def conflict(self, record: str, field: str, value: object, expected: str) -> ConflictError:
        return ConflictError(
            f"town {self.name}: its history disagrees with the city ledger",
            [FieldError(f"{self.name} {record}", field, value, expected)],
        )

    def run(self) -> dict[str, int]:
        c, t = self.city, self.town
        before = {n: c.db.table(n).count for n in ("zones", "units")}
        for at, rows in _by_time(t.known("zones", order_by="recorded_at, name")):
            c.add_zones([Zone(self.prefix + r["name"], r["name_en"]) for r in rows], recorded_at=at)
        for at, rows in _by_time(t.known("units", order_by="recorded_at, name")):
            c.add_units([Unit(self.prefix + r["name"], r["name_en"]) for r in rows], recorded_at=at)
        added = {n: c.db.table(n).count - before[n] for n in before}
        versions = self.versions()
        added["projects"] = sum(1 for v in versions if v.version == 1)
        added["project_versions"] = write_versions(c, versions)
        added["leading_groups"] = self.reference("leading_groups", t.groups(), c.add_groups)
        added["milestones"] = self.reference("milestones", t.tasks(), c.add_tasks)
        added["targets"] = self.reference("targets", t.indicators(measures=False), c.add_targets)
        added["attraction"] = self.reference("attraction", t.attractions(), c.add_attractions)
        added["progress"] = write_progress(c, self.progress())
        added["entries"] = self.entries()
        added.update(self.tables())
        added.update(self.funding())
        return added

    def versions(self) -> list[VersionRecord]:
        held: dict[str, list[tuple[int, str, str]]] = {}
        for v in read_versions(self.city, code_prefix=self.prefix):
            held.setdefault(v.project.code, []).append(_stamp(v))
        new = []
        for v in read_versions(self.town):
            p = v.project
            project = attrs.evolve(
                p,
                code=self.prefix + p.code,
                zone=self.key(p.zone),
                responsible_unit=self.key(p.responsible_unit),
                town=self.name,
            )
            mine = attrs.evolve(v, project=project)
            known = held.get(project.code, [])
            if v.version > len(known):
                new.append(mine)
            elif known[v.version - 1] != _stamp(mine):
                raise self.conflict(f"project {p.code}", "version", v.version, "the same version")
        return new

    def reference(self, table: str, records: Iterable[Any], add: Any) -> int:
        """Copy records the city lacks, each with the time the town recorded it."""
        have = {r[0] for r in self.city.db.execute(f"SELECT code FROM [{table}]")}
        times = {r["code"]: r["recorded_at"] for r in self.town.known(table)}
        new = [r for r in records if self.prefix + r.code not in have]
        by_time: dict[str, list[Any]] = {}
        for r in new:
            by_time.setdefault(times[r.code], []).append(self.prefixed(r))
        for at in sorted(by_time):
            add(by_time[at], recorded_at=datetime.fromisoformat(at))
        return len(new)

    def prefixed(self, record: Any) -> Any:
        changes: dict[str, Any] = {"code": self.prefix + record.code}
        if hasattr(record, "member_units"):  # a leading group: its name is unique too
            changes["name"] = self.prefix + record.name
            changes["member_units"] = tuple(self.prefix + u for u in record.member_units)
            changes["office_host"] = self.key(record.office_host)
        if hasattr(record, "group"):
            changes["group"] = self.prefix + record.group
        if getattr(record, "task", None):  # an indicator measuring a task
            changes["task"] = self.prefix + record.task
        return attrs.evolve(record, **changes)

    def progress(self) -> list[ProgressRecord]:
        chains: dict[tuple[str, str], list[str]] = {}
        rows = self.city.db.execute(
            "SELECT project, period, recorded_at FROM progress "
            "WHERE substr(project, 1, ?) = ? ORDER BY id",
            [len(self.prefix), self.prefix],
        )
        for project, period, stamp in rows:
            chains.setdefault((project, period), []).append(stamp)
        seen: dict[tuple[str, str], int] = {}
        new = []
        for record in read_progress(self.town):
            report = attrs.evolve(record.report, project=self.prefix + record.report.project)
            key = (report.project, str(report.period))
            place = seen[key] = seen.get(key, -1) + 1
            known = chains.get(key, [])
            if place >= len(known):
                new.append(ProgressRecord(report, record.recorded_at))
            elif known[place] != record.recorded_at:
                raise self.conflict(
                    f"progress {key[0]} {key[1]}",
                    "recorded_at",
                    record.recorded_at,
                    f"the city's entry recorded {known[place]}",
                )
        return new

    def entries(self) -> int:
        held: dict[tuple[Any, ...], list[int]] = {}
        for e in read_entries(self.city):
            if e.subject.startswith(self.prefix):
                held.setdefault(_entry_key(e, e.corrects), []).append(e.id)
        ids: dict[int, int] = {}
        added = 0
        for e in read_entries(self.town):
            if e.kind in self.rule_kinds:
                self.skipped.append(f"entries of kind {e.kind}")
                continue
            payload = {
                k: self.prefix + v if k in PAYLOAD_REFERENCES and isinstance(v, str) else v
                for k, v in e.payload.items()
            }
            mine = attrs.evolve(e, subject=self.prefix + e.subject, payload=payload)
            corrects = ids[e.corrects] if e.corrects is not None else None
            same = held.get(_entry_key(mine, corrects))
            if same:
                ids[e.id] = same.pop(0)
            else:
                ids[e.id] = write_entry(self.city, mine, corrects=corrects)
                added += 1
        return added

    def funding(self) -> dict[str, int]:
        """Funding sources merge by code (a codelist the towns share); plans, receipts,
        statistics counts and capital used come with their project (or deal) prefixed,
        matched on everything they say."""
        c, t = self.city, self.town
        codes = {s.code for s in c.funding_sources()}
        added = {"funding_sources": c.add_funding_sources(
            s for s in t.funding_sources() if s.code not in codes)}  # fmt: skip
        columns = {
            "funding_plans": ("project", "year", "source", "currency", "amount_fen",
                              "recorded_at"),
            "funds_receipts": ("project", "source", "received_on", "currency", "amount_fen",
                               "note", "recorded_at"),
            "stats_counts": ("project", "period", "currency", "amount_fen", "reported_on",
                             "recorded_at"),
            "deal_utilisations": ("deal", "received_on", "currency", "amount_fen",
                                  "recorded_at"),
        }  # fmt: skip
        for table, names in columns.items():
            listed = ", ".join(names)
            have = Counter(
                tuple(r)
                for r in c.db.execute(
                    f"SELECT {listed} FROM [{table}] WHERE substr({names[0]}, 1, ?) = ?",
                    [len(self.prefix), self.prefix],
                )
            )
            new = []
            for r in t.db.execute(f"SELECT {listed} FROM [{table}] ORDER BY id"):
                row = (self.prefix + r[0], *r[1:])
                if have[row]:
                    have[row] -= 1  # the city holds it already (merged before)
                else:
                    new.append(row)
            marks = ", ".join("?" for _ in names)
            c.db.conn.executemany(f"INSERT INTO [{table}] ({listed}) VALUES ({marks})", new)
            added[table] = len(new)
        return added

    def tables(self) -> dict[str, int]:
        """Tables keyed by ``code`` whose references all point at prefixed records."""
        schema = generic_tables(self.city)
        own = generic_tables(self.town).keys() - _FUNDING_TABLES
        candidates = {n for n in own if n in schema and self.city.db.table(n).pks == ["code"]}
        prefixed = set(_KEYED) | candidates
        refs = {
            n: {fk.column: fk.other_table for fk in self.city.db.table(n).foreign_keys}
            for n in candidates
        }
        names = [n for n in candidates if set(refs[n].values()) <= prefixed]
        self.skipped.extend(sorted(set(own) - set(names)))
        added = {}
        for name in dependency_order(self.city, names):
            marked = {col for col, table in refs[name].items() if table in prefixed} | {"code"}
            have = {r[0] for r in self.city.db.execute(f"SELECT code FROM [{name}]")}
            count = 0
            for row in read_table(self.town, name):
                new = {
                    c: self.key(v) if c in marked and isinstance(v, str) else v
                    for c, v in row.items()
                }
                if new["code"] in have:
                    continue
                columns = ", ".join(f"[{c}]" for c in new)
                marks = ", ".join("?" for _ in new)
                try:
                    self.city.db.execute(
                        f"INSERT INTO [{name}] ({columns}) VALUES ({marks})", list(new.values())
                    )
                except sqlite3.IntegrityError as exc:
                    raise self.conflict(
                        f"{name} {row['code']}", "code", row["code"], str(exc)
                    ) from None
                count += 1
            added[name] = count
        return added


def _stamp(v: VersionRecord) -> tuple[int, str, str]:
    return v.version, v.valid_from.isoformat(), v.recorded_at


def _entry_key(e: Entry, corrects: int | None) -> tuple[Any, ...]:
    payload = json.dumps(e.payload, ensure_ascii=False, sort_keys=True)
    return e.kind, e.subject, e.effective_on, e.recorded_at, e.note, payload, corrects


def _by_time(rows: Iterable[dict[str, Any]]) -> Iterator[tuple[datetime, list[dict[str, Any]]]]:
    """Rows (ordered by record time) grouped by their record time."""
    for at, group in groupby(rows, key=lambda r: r["recorded_at"]):
        yield datetime.fromisoformat(at), list(group)
