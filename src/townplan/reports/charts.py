"""Render a report's charts as PNG with matplotlib (headless): files, or bytes for HTML.

Chinese text needs a CJK font. The first of :data:`CJK_FONTS` that matplotlib knows is
used; when its font cache predates a font installed since (``apt-get install
fonts-noto-cjk`` after the first chart), the font files themselves are looked at and the
one found is added, so a fresh install works at once. When there is none, charts are
drawn with English labels and one :class:`CJKFontWarning` says so in plain words; where
those labels only number the categories ("Zone 1", "#1"), :func:`chart_key` names each,
and the key goes beside the chart: a table under it in the HTML page, a
``<kind>-<chart>-key.csv`` file beside the PNG.

Charts stay readable: values are labelled on the bars with thousands separators, as is
the value axis; many categories or long names are drawn as horizontal bars (names never
overlap); when one bar dwarfs the others (five times the next), a second panel shows
the others at their own scale (amounts; a count chart has its numbers on the bars).
"""

from __future__ import annotations

import csv
import io
import logging
import warnings
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, Final

from townplan.reports.table import Chart, Lang, Report

__all__ = ["CJK_FONTS", "CJKFontWarning", "chart_key", "chart_png", "cjk_font", "render_charts"]

#: Font families tried in order for Chinese text.
CJK_FONTS: Final = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "Noto Sans CJK JP",
    "Noto Serif CJK SC",
    "AR PL UMing CN",
)
#: Words in a font file's path that suggest a CJK font (only those files are opened).
_FILE_HINTS: Final = ("cjk", "wqy", "wenquanyi", "sourcehan", "simhei", "msyh", "pingfang",
                      "uming", "ukai", "droidsansfallback", "notosanssc")  # fmt: skip
_COLOURS: Final = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1", "#76b7b2")
_LIGHT_COLOURS: Final = {"红灯": "#cf222e", "黄灯": "#bf8700", "绿灯": "#1a7f37",
                         "red": "#cf222e", "amber": "#bf8700", "green": "#1a7f37"}  # fmt: skip
_DOMINANT: Final = 5  # a bar this many times the next one gets a second panel
_HORIZONTAL: Final = 8  # more categories than this: horizontal bars


class CJKFontWarning(UserWarning):
    """No CJK font is installed: charts fall back to English labels."""


@cache
def cjk_font() -> str | None:
    """The first CJK font family installed, or None (see the module's docstring)."""
    from matplotlib import font_manager

    known = {f.name for f in font_manager.fontManager.ttflist}
    found = next((name for name in CJK_FONTS if name in known), None)
    if found is not None:
        return found
    by_name: dict[str, str] = {}
    for path in font_manager.findSystemFonts():  # the files on disk, not the cache
        if not any(hint in path.lower().replace("-", "") for hint in _FILE_HINTS):
            continue
        try:
            name = font_manager.get_font(path).family_name
        except (OSError, RuntimeError, ValueError):
            continue
        by_name.setdefault(name, path)
    chosen: str | None = next((name for name in CJK_FONTS if name in by_name), None)
    if chosen is None:
        chosen = next((name for name in sorted(by_name) if "CJK" in name), None)
    if chosen is None:
        return None
    font_manager.fontManager.addfont(by_name[chosen])
    return chosen


_warned: list[bool] = []


def _chart_language(lang: Lang) -> Lang:
    """``lang``, or English when Chinese cannot be drawn (said once a process)."""
    if lang != "cn" or cjk_font() is not None:
        return lang
    if not _warned:
        _warned.append(True)
        warnings.warn(
            "charts are drawn with English labels because no Chinese font is installed; "
            "install one (Debian: apt-get install fonts-noto-cjk) for Chinese labels",
            CJKFontWarning,
            stacklevel=3,
        )
    return "en"


def _floats(values: tuple[Decimal, ...]) -> list[float]:
    # Plotting is the one place numbers become floats: positions on a picture, not sums.
    return [float(v) for v in values]


def _thousands(value: float, _: object = None) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.1f}".rstrip("0").rstrip(".")


def _dominant(chart: Chart) -> int | None:
    """The category whose bar dwarfs every other, if there is one."""
    if chart.kind != "bars" or len(chart.categories) < 3:  # counts are labelled; enough
        return None
    tops = [max(_floats(tuple(s.values[i] for s in chart.series)), default=0.0)
            for i in range(len(chart.categories))]  # fmt: skip
    ordered = sorted(tops, reverse=True)
    if ordered[1] > 0 and ordered[0] >= _DOMINANT * ordered[1]:
        return tops.index(ordered[0])
    return None


def _figure(chart: Chart, lang: Lang) -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    horizontal = chart.kind != "line" and (
        len(chart.categories) > _HORIZONTAL or max(map(len, chart.labels(lang)), default=0) > 8
    )
    dominant = _dominant(chart)
    panels = 2 if dominant is not None else 1
    height = max(4.8, 0.42 * len(chart.categories) + 1.5) if horizontal else 4.8
    figure, axes = plt.subplots(1, panels, figsize=(9 if panels == 1 else 12, height), dpi=110,
                                squeeze=False)  # fmt: skip
    keep = list(range(len(chart.categories)))
    _draw(axes[0][0], chart, lang, keep, horizontal)
    if dominant is not None:
        others = [i for i in keep if i != dominant]
        _draw(axes[0][1], chart, lang, others, horizontal)
        name = chart.labels(lang)[dominant]
        note = f"（不含{name}）" if lang == "cn" else f"(without {name})"
        axes[0][1].set_title(note, fontsize=10)
    figure.suptitle(chart.title_cn if lang == "cn" else chart.title_en)
    figure.tight_layout()
    return figure


def _draw(axes: Any, chart: Chart, lang: Lang, keep: list[int], horizontal: bool) -> None:
    from matplotlib.ticker import FuncFormatter

    labels = [chart.labels(lang)[i] for i in keep]
    names = [s.name_cn if lang == "cn" else s.name_en for s in chart.series]
    positions = list(range(len(keep)))
    unit = chart.unit_cn if lang == "cn" else chart.unit_en
    value_axis = axes.xaxis if horizontal else axes.yaxis
    value_axis.set_major_formatter(FuncFormatter(_thousands))
    if chart.kind == "line":
        for index, series in enumerate(chart.series):
            values = [_floats(series.values)[i] for i in keep]
            axes.plot(positions, values, marker="o", label=names[index],
                      color=_COLOURS[index % len(_COLOURS)])  # fmt: skip
        axes.set_xticks(positions, labels)
        axes.legend()
    else:
        width = 0.8 / max(1, len(chart.series))
        for index, series in enumerate(chart.series):
            values = [_floats(series.values)[i] for i in keep]
            offsets = [p - 0.4 + width * (index + 0.5) for p in positions]
            if chart.kind == "counts":
                colour: Any = [_LIGHT_COLOURS.get(chart.categories[i], _COLOURS[0]) for i in keep]
            else:
                colour = _COLOURS[index % len(_COLOURS)]
            draw = axes.barh if horizontal else axes.bar
            bars = draw(offsets, values, width, label=names[index], color=colour)
            axes.bar_label(bars, labels=[_thousands(v) for v in values], fontsize=8, padding=2)
        if horizontal:
            axes.set_yticks(positions, labels)
            axes.invert_yaxis()  # the first category on top, as a table reads
            axes.margins(x=0.15)
        else:
            axes.set_xticks(positions, labels, rotation=20 if len(keep) > 4 else 0,
                            ha="right" if len(keep) > 4 else "center")  # fmt: skip
            axes.margins(y=0.12)
        if len(chart.series) > 1:
            axes.legend()
    if unit:
        (axes.set_xlabel if horizontal else axes.set_ylabel)(unit)
    axes.grid(axis="x" if horizontal else "y", alpha=0.3)


def _render(chart: Chart, lang: Lang, target: Any) -> None:
    import matplotlib
    import matplotlib.pyplot as plt

    # WenQuanYi and some Noto builds ship one weight; matplotlib logs each substitution.
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    fonts = [cjk_font() or "DejaVu Sans", "DejaVu Sans"]
    with matplotlib.rc_context({"font.sans-serif": fonts, "axes.unicode_minus": False}):
        figure = _figure(chart, lang)
        try:
            figure.savefig(target, format="png")
        finally:
            plt.close(figure)


def chart_png(chart: Chart, lang: Lang = "cn") -> bytes:
    """One chart as PNG bytes (for a page that embeds it)."""
    buffer = io.BytesIO()
    _render(chart, _chart_language(lang), buffer)
    return buffer.getvalue()


def chart_key(chart: Chart, lang: Lang = "cn") -> tuple[tuple[str, str], ...]:
    """What each label of ``chart`` stands for, when a ``lang`` chart cannot be drawn with
    its own names (a Chinese chart without a Chinese font) and its labels only number the
    categories: ``(("Zone 1", "现代临港产业区"), …)``; empty when the chart shows its names.

    >>> from townplan.reports.table import Chart, Series
    >>> c = Chart("ranking", "bars", "得分", "Scores", ("城建办", "党政办"), ())
    >>> chart_key(c, "en")
    (('#1', '城建办'), ('#2', '党政办'))
    """
    if lang == "cn" and cjk_font() is not None:
        return ()
    drawn = chart.labels("en")
    if chart.categories_en is not None and not any(_numbered(label) for label in drawn):
        return ()  # English names of their own (red, amber, green; 1月 → Jan)
    return tuple((label, name) for label, name in zip(drawn, chart.categories, strict=True)
                 if label != name)  # fmt: skip


def _numbered(label: str) -> bool:
    return label.rsplit(" ", 1)[-1].lstrip("#").isdigit()


def render_charts(report: Report, directory: str | Path, lang: Lang = "cn") -> list[Path]:
    """Write ``<report.kind>-<chart.key>.png`` for each chart, and beside it the chart's
    key as ``<report.kind>-<chart.key>-key.csv`` when it has one (:func:`chart_key`: no
    Chinese font); returns the paths."""
    from townplan.reports.formulas import neutralise

    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    drawn = _chart_language(lang)
    written = []
    for chart in report.figures:
        path = folder / f"{report.kind}-{chart.key}.png"
        _render(chart, drawn, path)
        written.append(path)
        key = chart_key(chart, lang)
        if key:
            legend = folder / f"{report.kind}-{chart.key}-key.csv"
            with legend.open("w", encoding="utf-8-sig", newline="") as handle:
                out = csv.writer(handle)
                out.writerow(["图中标注 label", "名称 name"])
                out.writerows((label, neutralise(name)) for label, name in key)
            written.append(legend)
    return written
