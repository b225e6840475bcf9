"""What the command line says, in Chinese and English: one language per run.

The run's language is ``--lang`` (``zh``, also written ``cn``, or ``en``; before the command
or on a report command), else ``TOWNPLAN_LANG``, else the locale: ``zh_*`` and a locale
that names no language (``C``, ``POSIX``, unset — the reports an office issues are
Chinese) give Chinese; any other language gives English.

>>> locale_language({"LANG": "en_GB.UTF-8"}), locale_language({"LC_ALL": "zh_CN.UTF-8"})
('en', 'zh')
>>> locale_language({"LANG": "C.UTF-8"}), locale_language({})
('zh', 'zh')
>>> say_in("zh", "wrote", path="a.md"), say_in("en", "wrote", path="a.md")
('已写入 a.md', 'wrote a.md')
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Final, Literal

import click

__all__ = ["LANGUAGES", "Language", "language", "locale_language", "say_in", "set_language", "word"]

Language = Literal["zh", "en"]
#: What ``--lang`` accepts, and the language each means.
LANGUAGES: Final[dict[str, Language]] = {"zh": "zh", "cn": "zh", "en": "en"}
_KEY: Final = "townplan.language"

_WORDS: Final[dict[str, tuple[str, str]]] = {
    "error": ("错误：", "error: "),
    "note": ("注意：", "note: "),
    "no_cjk_font": (
        "未安装中文字体，图表以英文标注；"
        "安装后（Debian：apt-get install fonts-noto-cjk）即显示中文",
        "charts are drawn with English labels because no Chinese font is installed; "
        "install one (Debian: apt-get install fonts-noto-cjk) for Chinese labels",
    ),
    "wrote": ("已写入 {path}", "wrote {path}"),
    "unseen": (
        "本期另有 {count} 条记录在 {day} 之后录入，未计入本报告；加 --as-of latest 可计入"
        "（补录往年数据时，导入用 --recorded-at 注明录入日期）",
        "{count} records of this period were recorded after {day} and are not in this "
        "report; add --as-of latest to include them (when loading past years, give the "
        "import --recorded-at)",
    ),
    "indicator": ("指标", "Indicator"),
    "value": ("数值", "Value"),
    "no_ledger": (
        "没有台账 {path}（新建：townplan new {path}）",
        "no ledger at {path} (create one with: townplan new {path})",
    ),
    "schema": ("台账 {path}：结构版本 {version}", "ledger {path}: schema version {version}"),
    "table": ("表", "table"),
    "hit_project": ("项目", "project"),
    "hit_task": ("任务", "task"),
    "hit_progress": ("月报", "progress"),
    "rows": ("行数", "rows"),
    "json_exists": (
        "{path} 已存在；JSON 文档载入新台账文件",
        "{path} exists; a JSON document goes into a new ledger file",
    ),
    "sample_exists": (
        "{path} 已存在；示例镇写入新文件",
        "{path} exists; the sample town goes into a new file",
    ),
    "demo_done": (
        "已写入 {count} 个文件和台账 {ledger}，位于 {out}/",
        "wrote {count} files and the ledger {ledger} into {out}/",
    ),
    "building_sample": ("正在建立示例镇 …", "building the sample town (示例镇) …"),
    "building": ("正在生成{what}", "building the {what}"),
    "writing": ("正在写入 {name}", "writing {name}"),
    "importing": ("正在导入 {path}", "importing {path}"),
    "exporting": ("正在导出 {path}", "exporting {path}"),
    "generating": ("正在生成项目与月报", "generating projects and monthly reports"),
    "rolling_up": ("正在汇总各镇台账", "rolling up the towns' ledgers"),
    "register_first": (
        "台账 {path} 中还没有项目：请先导入项目库（townplan import register {path} 项目库.xlsx），"
        "再导入进度表",
        "the ledger {path} holds no projects: import the register first "
        "(townplan import register {path} register.xlsx), then the progress sheet",
    ),
    "month_hint": (
        "用 --month 指定月份，例如 --month 2013-06",
        "give the month with --month, e.g. --month 2013-06",
    ),
    "reported_hint": (
        "用 --reported-on 指定报送日期，例如 --reported-on 2013-07-03",
        "give the day with --reported-on, e.g. --reported-on 2013-07-03",
    ),
    "datasette_done": (
        "已写入 {out}；浏览：datasette {ledger} -m {out}",
        "wrote {out}; browse with: datasette {ledger} -m {out}",
    ),
    "cannot_write": ("无法写入 {path}：{reason}", "cannot write {path}: {reason}"),
    "cannot_read": ("无法读取 {path}：{reason}", "cannot read {path}: {reason}"),
    "no_directory": ("目录不存在", "the directory does not exist"),
    "no_permission": ("没有权限", "permission denied"),
    "is_directory": ("这是一个目录", "it is a directory"),
    "no_space": ("磁盘空间不足", "no space left on the device"),
    "not_a_directory": ("路径中有一段不是目录", "a part of the path is not a directory"),
}


def locale_language(environ: Mapping[str, str] | None = None) -> Language:
    """The language the locale asks for (see the module's docstring)."""
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            tag = value.split(".")[0].split("@")[0].lower()
            if tag in ("c", "posix") or tag.startswith("zh"):
                return "zh"
            return "en"
    return "zh"


def set_language(value: str | None) -> None:
    """Make ``value`` (``zh``, ``cn`` or ``en``) the language of this run."""
    context = click.get_current_context(silent=True)
    if value is not None and context is not None:
        context.find_root().meta[_KEY] = LANGUAGES[value]


def language() -> Language:
    """The language of this run."""
    context = click.get_current_context(silent=True)
    if context is not None:
        chosen = context.find_root().meta.get(_KEY)
        if chosen is not None:
            return chosen  # type: ignore[no-any-return]
    env = os.environ.get("TOWNPLAN_LANG", "")
    return LANGUAGES.get(env.lower(), locale_language())


def say_in(lang: Language, key: str, **values: object) -> str:
    """The message ``key`` in ``lang``, filled in."""
    zh, en = _WORDS[key]
    return (zh if lang == "zh" else en).format(**values)


def word(key: str, **values: object) -> str:
    """The message ``key`` in the run's language, filled in."""
    return say_in(language(), key, **values)
