"""Validating an OC4IDS package offline against the schema copies shipped with townplan.

The package schema refers to the project schema by its URL; here that URL resolves to the
local copy in ``schema/`` (Draft 4, as both files declare). Each project is
validated on its own against the project schema, and the envelope against the package
schema with each project stood for by its ``id``; unique project ids (which the standard
asks for) are checked directly instead of comparing every pair of whole projects, which
costs seconds for a thousand projects. Formats are checked with townplan's own checkers for
``date-time`` (RFC 3339), ``uri`` (RFC 3986, absolute) and ``email``, so the result does not
depend on which optional format libraries happen to be installed.

jsonschema is the optional extra ``oc4ids``: ``pip install 'townplan[oc4ids]'``.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from importlib import resources
from typing import Any, Final

__all__ = ["OC4IDS_VERSION", "load_schema", "validate_oc4ids"]

#: The OC4IDS version packages declare (major.minor of the 0.9.5 schema shipped here).
OC4IDS_VERSION: Final = "0.9"

_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
_URI = re.compile(
    r"^[A-Za-z][A-Za-z0-9+.\-]*:(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$"
)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def load_schema(name: str) -> dict[str, Any]:
    """One of the shipped schema files, e.g. ``"project-schema.json"``."""
    text = resources.files("townplan.io.oc4ids").joinpath("schema", name).read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True  # formats apply to strings only; the type keyword checks the rest
    if not _DATE_TIME.match(value):
        return False
    try:
        datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


@functools.cache
def _validator() -> Any:
    try:
        import jsonschema
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT4
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "validate_oc4ids needs jsonschema, the optional extra 'oc4ids': "
            "pip install 'townplan[oc4ids]'"
        ) from exc
    project = load_schema("project-schema.json")
    package = load_schema("project-package-schema.json")
    registry = Registry().with_resource(
        project["id"], Resource.from_contents(project, default_specification=DRAFT4)
    )
    checker = jsonschema.FormatChecker(formats=())
    checker.checks("date-time")(_date_time)
    checker.checks("uri")(lambda v: not isinstance(v, str) or bool(_URI.match(v)))
    checker.checks("email")(lambda v: not isinstance(v, str) or bool(_EMAIL.match(v)))
    jsonschema.Draft4Validator.check_schema(package)
    jsonschema.Draft4Validator.check_schema(project)
    return (
        jsonschema.Draft4Validator(package, registry=registry, format_checker=checker),
        jsonschema.Draft4Validator(project, format_checker=checker),
    )


def _path(parts: Iterable[Any]) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text or "package"


def validate_oc4ids(package: Mapping[str, Any]) -> list[str]:
    """Every way ``package`` breaks the OC4IDS package and project schemas, as
    ``"projects[3].budget.amount.amount: … is not of type 'number'"``; empty when valid.

    >>> for problem in validate_oc4ids({
    ...     "version": "0.9", "uri": "not a uri", "publishedDate": "2013-07-01",
    ...     "publisher": {"name": "示例镇"}, "projects": [{"id": "P1", "status": "续建"}]}):
    ...     print(problem)
    projects[0].status: '续建' is not one of ['identification', ...]
    publishedDate: '2013-07-01' is not a 'date-time'
    uri: 'not a uri' is not a 'uri'
    """
    envelope, one = _validator()
    projects = package.get("projects")
    found: set[tuple[str, str]] = set()
    if isinstance(projects, list):
        first: dict[object, int] = {}
        for i, project in enumerate(projects):
            found.update(
                (_path(["projects", i, *e.absolute_path]), e.message)
                for e in one.iter_errors(project)
            )
            ident = project.get("id") if isinstance(project, dict) else None
            if isinstance(ident, str) and first.setdefault(ident, i) != i:
                found.add(
                    (f"projects[{i}].id", f"{ident!r} is the id of projects[{first[ident]}] too")
                )
        stubs = [{"id": p["id"]} if isinstance(p, dict) and "id" in p else p for p in projects]
        package = {**package, "projects": stubs}
    found.update(
        (_path(e.absolute_path), e.message)
        for e in envelope.iter_errors(dict(package))
        if not (e.validator == "uniqueItems" and list(e.absolute_path) == ["projects"])
    )
    return [f"{where}: {message}" for where, message in sorted(found)]
