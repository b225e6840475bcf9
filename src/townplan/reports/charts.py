"""Render a report's charts as PNG files with matplotlib (headless).

Chinese text needs a CJK font. The first installed one of :data:`CJK_FONTS` is used; when
none is installed the charts are drawn with English labels and a :class:`CJKFontWarning`
says how to get Chinese ones (e.g. ``apt-get install fonts-wqy-zenhei``).
"""

from __future__ import annotations

import logging
import warnings
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, Final

from townplan.reports.table import Chart, Lang, Report

__all__ = ["CJK_FONTS", "CJKFontWarning", "cjk_font", "render_charts"]

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
    "AR PL UMing CN",
)
_COLOURS: Final = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1", "#76b7b2")
_LIGHT_COLOURS: Final = {"红灯": "#cf222e", "黄灯": "#bf8700", "绿灯": "#1a7f37",
                         "red": "#cf222e", "amber": "#bf8700", "green": "#1a7f37"}  # fmt: skip


class CJKFontWarning(UserWarning):
    """No CJK font is installed: charts fall back to English labels."""


@cache
def cjk_font() -> str | None:
    """The first installed CJK font family, or None."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


def _plot(chart: Chart, lang: Lang, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(9, 4.8), dpi=110)
    try:
        _draw(axes, chart, lang)
        axes.set_title(chart.title_cn if lang == "cn" else chart.title_en)
        unit = chart.unit_cn if lang == "cn" else chart.unit_en
        if unit:
            axes.set_ylabel(unit)
        axes.grid(axis="y", alpha=0.3)
        figure.tight_layout()
        figure.savefig(path)
    finally:
        plt.close(figure)


def _floats(values: tuple[Decimal, ...]) -> list[float]:
    # Plotting is the one place numbers become floats: positions on a picture, not sums.
    return [float(v) for v in values]


def _draw(axes: Any, chart: Chart, lang: Lang) -> None:
    positions = list(range(len(chart.categories)))
    labels = chart.labels(lang)
    names = [s.name_cn if lang == "cn" else s.name_en for s in chart.series]
    if chart.kind == "line":
        for index, series in enumerate(chart.series):
            axes.plot(positions, _floats(series.values), marker="o", label=names[index],
                      color=_COLOURS[index % len(_COLOURS)])  # fmt: skip
        axes.set_xticks(positions, labels)
    elif chart.kind == "counts":
        values = _floats(chart.series[0].values) if chart.series else []
        colours = [_LIGHT_COLOURS.get(c, _COLOURS[0]) for c in chart.categories]
        bars = axes.bar(positions, values, color=colours)
        axes.bar_label(bars, fmt="%d")
        axes.set_xticks(positions, labels)
    else:
        width = 0.8 / max(1, len(chart.series))
        for index, series in enumerate(chart.series):
            offsets = [p - 0.4 + width * (index + 0.5) for p in positions]
            axes.bar(offsets, _floats(series.values), width, label=names[index],
                     color=_COLOURS[index % len(_COLOURS)])  # fmt: skip
        axes.set_xticks(positions, labels, rotation=20, ha="right")
    if len(chart.series) > 1 or chart.kind == "line":
        axes.legend()


def render_charts(report: Report, directory: str | Path, lang: Lang = "cn") -> list[Path]:
    """Write ``<report.kind>-<chart.key>.png`` for each chart; returns the paths."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    if lang == "cn":
        font = cjk_font()
        if font is None:
            warnings.warn(
                "no CJK font is installed, so charts use English labels; install one "
                "(e.g. apt-get install fonts-wqy-zenhei or fonts-noto-cjk) for Chinese",
                CJKFontWarning,
                stacklevel=2,
            )
            lang = "en"
    written = []
    import matplotlib

    # WenQuanYi and some Noto builds ship one weight; matplotlib logs each substitution.
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    fonts = [cjk_font() or "DejaVu Sans", "DejaVu Sans"]
    with matplotlib.rc_context({"font.sans-serif": fonts, "axes.unicode_minus": False}):
        for chart in report.figures:
            path = folder / f"{report.kind}-{chart.key}.png"
            _plot(chart, lang, path)
            written.append(path)
    return written
