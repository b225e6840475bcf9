"""The parts of an .xlsx workbook that the reader checks before python-calamine reads
the cells, read with the standard library and read safely.

An .xlsx file is a zip of XML parts: ``xl/workbook.xml`` lists the sheets (their names
and order, and relationship ids that ``xl/_rels/workbook.xml.rels`` maps to the sheet
parts), ``xl/styles.xml`` says which cell styles show numbers as percentages.
:class:`Package` opens each part as a stream that counts what it unpacks — more than
:data:`MAX_UNPACKED` bytes in all is a zip bomb — and refuses a DOCTYPE (entity tricks);
either raises :class:`XlsxRefused`.

>>> import io, zipfile
>>> buffer = io.BytesIO()
>>> with zipfile.ZipFile(buffer, "w") as z:
...     z.writestr("xl/workbook.xml", '<!DOCTYPE x [<!ENTITY a "b">]><workbook/>')
>>> list(Package(zipfile.ZipFile(buffer)).elements("xl/workbook.xml"))
Traceback (most recent call last):
...
townplan.io.sheets.xlsx_parts.XlsxRefused: it declares a DOCTYPE
"""

from __future__ import annotations

import itertools
import posixpath
import zipfile
from collections.abc import Iterator, Sequence
from typing import IO, Final, Literal, cast
from xml.etree.ElementTree import Element, XMLPullParser
from xml.parsers import expat

import attrs

from townplan.io.sheets.xlsx_formats import NUMBER, builtin, style_kind

__all__ = [
    "MAX_UNPACKED",
    "Package",
    "SheetPart",
    "Workbook",
    "XlsxRefused",
    "events_of",
    "local",
]

Event = Literal["start", "end"]
Item = tuple[Event, Element]

#: At most this many bytes are unpacked from one workbook (all parts together).
MAX_UNPACKED: Final = 1 << 30
_WORKBOOK: Final = "xl/workbook.xml"
# Parts are unpacked and parsed in small chunks: the elements parsed from one chunk are
# read and dropped before the garbage collector runs, so it does not take them for
# long-lived objects and walk the whole heap again and again (3× slower with 64 kB).
_CHUNK: Final = 1 << 12


class XlsxRefused(Exception):
    """A workbook part this reader will not read; the message says why."""


@attrs.frozen
class SheetPart:
    """A worksheet: its name (tab) and the zip member holding its cells."""

    name: str
    part: str


@attrs.frozen
class Workbook:
    """What a workbook says about itself: its worksheets in tab order, whether its dates
    count from 1904, its XML namespace ("{…/spreadsheetml/2006/main}", or the strict
    one), and where its shared strings and styles are (``None``: absent)."""

    sheets: tuple[SheetPart, ...]
    date1904: bool
    namespace: str
    strings: str | None
    styles: str | None


class _Stream:
    """A zip member read in chunks: counted against the package's budget, and its prolog
    checked for a DOCTYPE before any of it reaches the XML parser."""

    def __init__(self, package: Package, member: IO[bytes]) -> None:
        self._package = package
        self._member = member
        self._prolog: expat.XMLParserType | None = expat.ParserCreate()
        self._prolog.StartDoctypeDeclHandler = _refuse_doctype
        self._prolog.StartElementHandler = _root_reached

    def read(self, size: int) -> bytes:
        data = self._member.read(size)
        self._package.spend(len(data))
        if self._prolog is not None and data:
            try:
                self._prolog.Parse(data, False)
            except _RootReached:
                self._prolog = None
        return data


class _RootReached(Exception):
    pass


def _refuse_doctype(*_: object) -> None:
    raise XlsxRefused("it declares a DOCTYPE")


def _root_reached(*_: object) -> None:
    raise _RootReached


def events_of(parser: XMLPullParser[Element]) -> Iterator[Item]:
    """The ("start" | "end", element) events ``parser`` has ready."""
    return cast(Iterator[Item], parser.read_events())


def local(tag: str) -> str:
    """A tag or attribute name without its ``{namespace}``.

    >>> local("{http://schemas.openxmlformats.org/spreadsheetml/2006/main}row"), local("r")
    ('row', 'r')
    """
    return tag.rpartition("}")[2]


class Package:
    """An .xlsx zip whose parts are read as checked, counted streams."""

    def __init__(self, archive: zipfile.ZipFile, limit: int | None = None) -> None:
        self.archive = archive
        self.names = frozenset(archive.namelist())
        self._limit = MAX_UNPACKED if limit is None else limit
        self._left = self._limit

    def spend(self, size: int) -> None:
        """Count ``size`` more unpacked bytes; past the limit the workbook is refused."""
        self._left -= size
        if self._left < 0:
            raise XlsxRefused(f"it unpacks to more than {self._limit:,} bytes")

    def elements(self, part: str) -> Iterator[Element]:
        """The elements of ``part``, each as the parser finishes it."""
        for _, element in self.events(part, ("end",)):
            yield element

    def events(self, part: str, kinds: Sequence[Event] = ("start", "end")) -> Iterator[Item]:
        """("start" | "end", element) for every element of ``part``."""
        parser: XMLPullParser[Element] = XMLPullParser(kinds)
        for data in itertools.chain(self.chunks(part), [b""]):  # b"": the end
            if data:
                parser.feed(data)
            else:
                parser.close()
            yield from events_of(parser)

    def chunks(self, part: str, size: int = _CHUNK) -> Iterator[bytes]:
        """The bytes of ``part``, unpacked ``size`` at a time, counted and checked."""
        declared = self.archive.getinfo(part).file_size  # zipfile unpacks no more than this
        if declared > self._left:
            self.spend(declared)
        with self.archive.open(part) as member:
            stream = _Stream(self, member)
            while data := stream.read(size):
                yield data

    def workbook(self) -> Workbook:
        """The workbook's sheets and settings (chart sheets and missing parts left out)."""
        path = self._office_document()
        rels = self._relations(path)
        sheets: list[SheetPart] = []
        date1904 = False
        namespace = ""
        for element in self.elements(path):
            name = local(element.tag)
            if name == "sheet":
                target, kind = rels.get(_relation_id(element), ("", ""))
                if target in self.names and not kind.endswith("chartsheet"):
                    sheets.append(SheetPart(element.get("name", ""), target))
            elif name == "workbookPr":
                date1904 = element.get("date1904", "false").lower() in ("1", "true")
            elif name == "workbook":  # the root: its parts share its namespace
                namespace = element.tag[: len(element.tag) - len(name)]
        by_kind = {kind.rpartition("/")[2]: target for target, kind in rels.values()}
        strings = by_kind.get("sharedStrings", "xl/sharedStrings.xml")
        styles = by_kind.get("styles", "xl/styles.xml")
        return Workbook(
            tuple(sheets),
            date1904,
            namespace,
            strings if strings in self.names else None,
            styles if styles in self.names else None,
        )

    def style_kinds(self, part: str | None) -> tuple[int, ...]:
        """How every cell style (``cellXfs``) shows numbers, by style index."""
        if part is None:
            return (NUMBER,)
        codes: dict[int, str] = {}
        formats: list[int] = []
        depth = 0
        for event, element in self.events(part):
            name = local(element.tag)
            if name == "cellXfs":
                depth += 1 if event == "start" else -1
            elif event == "end" and name == "numFmt":
                codes[int(element.get("numFmtId", "0"))] = element.get("formatCode", "")
            elif event == "end" and name == "xf" and depth:
                formats.append(int(element.get("numFmtId", "0")))
        return tuple(style_kind(codes.get(f) or builtin(f)) for f in formats) or (NUMBER,)

    def _office_document(self) -> str:
        if "_rels/.rels" in self.names:
            for target, kind in self._relations("").values():
                if kind.endswith("/officeDocument"):
                    return target
        return _WORKBOOK

    def _relations(self, part: str) -> dict[str, tuple[str, str]]:
        """Relationship id → (zip member, relationship type) for ``part``'s relations."""
        folder, name = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", f"{name}.rels")
        if rels not in self.names:
            raise XlsxRefused(f"it lacks its part {rels}")
        found: dict[str, tuple[str, str]] = {}
        for element in self.elements(rels):
            if local(element.tag) != "Relationship" or element.get("TargetMode") == "External":
                continue
            target = element.get("Target", "")
            if target.startswith("/"):
                target = target[1:]
            else:
                target = posixpath.normpath(posixpath.join(folder, target))
            found[element.get("Id", "")] = (target, element.get("Type", ""))
        return found


def _relation_id(element: Element) -> str:
    """The ``r:id`` of a ``<sheet>`` (whichever relationships namespace it uses)."""
    return next(
        (v for k, v in element.attrib.items() if k.startswith("{") and local(k) == "id"), ""
    )
