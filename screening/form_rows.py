"""Repeating rows in one form field: the periods of a work history, the certificates a person holds.

Each row is a few inputs named "<field>-<index>-<input>" ("work_history-0-start"). Without JavaScript the form
shows a few blank rows; static/js/rows.js adds and removes rows (a new row takes the next free index, so indexes
may have gaps). The field reads every row posted, ignores blank ones and cleans the others with the checks the
import uses (parsers.py), in messages that name the row ("第 2 段经历：…"); shown again, the rows hold what was
typed.

Like profile_keys.py, which declares these fields: no ORM and no settings read at import.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.template import loader
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import parsers

Row = dict[str, str | bool]  # one posted row as typed: {input name: text, or whether a checkbox is ticked}


@dataclass(frozen=True)
class RowInput:
    name: str
    label: Promise | str
    kind: str  # "select", "month", "date" or "until" (a checkbox that stands for the input named in `until`)
    css: str = "col-12"  # its column in the row (Bootstrap grid): phones first
    choices: Any = ()  # for a select: (code, label) pairs, the blank one first
    until: str = ""


class RowsWidget(forms.Widget):
    """Renders with the project's templates (templates/careers/_rows.html), as the rest of the form."""

    template_name = "careers/_rows.html"
    use_fieldset = True  # the field's label is the legend of all its rows

    def __init__(self, inputs: tuple[RowInput, ...], *, blank_rows: int, add_label, what, attrs=None):
        super().__init__(attrs)
        self.inputs, self.blank_rows, self.add_label, self.what = inputs, blank_rows, add_label, what
        self.wrong_rows: set[int] = set()  # set by the field's cleaning (each form has its own copy): marked red

    def value_from_datadict(self, data, files, name) -> list[Row]:
        pattern = re.compile(rf"^{re.escape(name)}-(\d{{1,4}})-(\w+)$")
        names = {i.name for i in self.inputs}
        posted: dict[int, dict[str, str]] = {}
        for key in data:
            m = pattern.match(key)
            if m and m[2] in names:
                posted.setdefault(int(m[1]), {})[m[2]] = data.get(key)
        return [self._row(posted[i]) for i in sorted(posted)]

    def _row(self, posted: dict[str, str]) -> Row:
        return {
            i.name: (posted.get(i.name) not in (None, "", "off")) if i.kind == "until" else str(posted.get(i.name, ""))
            for i in self.inputs
        }

    def value_omitted_from_data(self, data, files, name) -> bool:
        return False  # no row posted: none filled in

    def id_for_label(self, id_):
        return None  # a legend, not a label, names the rows

    def is_blank(self, row: Row) -> bool:
        # a ticked 至今 alone is not a row: whoever ticks every box has not described a period of work
        return not any(str(v).strip() for i in self.inputs if i.kind != "until" for v in [row.get(i.name, "")])

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        base = context["widget"]["attrs"].get("id") or f"id_{name}"
        typed = [row for row in value or [] if isinstance(row, dict) and not self.is_blank(row)]
        blank = {i.name: False if i.kind == "until" else "" for i in self.inputs}
        shown = typed + [blank] * max(self.blank_rows - len(typed), 1)
        today = timezone.localdate()
        limits = {"month": today.strftime("%Y-%m"), "date": today.isoformat()}
        context["widget"].update(
            {
                "rows": [self._shown(name, base, index, row, limits) for index, row in enumerate(shown)],
                "template_row": self._shown(name, base, "__prefix__", blank, limits),
                "next_index": len(shown),
                "max": parsers.MAX_ENTRIES,
                "add_label": self.add_label,
                # Translators: what is "段经历" or "本证书": the title of the n-th row
                "title_template": _("第 %(n)s %(what)s") % {"n": "%(n)s", "what": self.what},
                "invalid": "is-invalid" in str(context["widget"]["attrs"].get("class", "")),
            }
        )
        return context

    def _shown(self, name, base, index, row: Row, limits) -> dict:
        number = index + 1 if isinstance(index, int) else ""
        inputs = [
            {
                "kind": i.kind,
                "label": i.label,
                "css": i.css,
                "name": f"{name}-{index}-{i.name}",
                "id": f"{base}-{index}-{i.name}",
                "column": i.name,
                "value": row.get(i.name, ""),
                "choices": [(str(code), label) for code, label in i.choices],
                "until": i.until,
                "max": limits.get(i.kind, ""),
            }
            for i in self.inputs
        ]
        title = _("第 %(n)s %(what)s") % {"n": number, "what": self.what} if number else ""
        return {"index": index, "title": title, "inputs": inputs, "invalid": number in self.wrong_rows}

    def render(self, name, value, attrs=None, renderer=None):
        # the project's template engine: Django's form renderer reads only its own and the apps' templates
        return mark_safe(loader.render_to_string(self.template_name, self.get_context(name, value, attrs)))


class RowsField(forms.Field):
    """A list of entries typed as rows; blank rows are ignored, so none typed is an empty list (asked: none)."""

    def __init__(
        self,
        *,
        inputs: tuple[RowInput, ...],
        read: Callable[[Row], dict],
        check: Callable[[list], parsers.Problems],
        order: Callable[[list[dict]], list[dict]],
        what: Promise,
        add_label: Promise,
        blank_rows: int,
        **kwargs,
    ):
        self.read, self.check, self.order, self.what = read, check, order, what
        widget = RowsWidget(inputs, blank_rows=blank_rows, add_label=add_label, what=what)
        super().__init__(widget=widget, required=False, **kwargs)

    def to_python(self, value) -> list[dict]:
        rows = [row for row in value or [] if isinstance(row, dict) and not self.widget.is_blank(row)]
        try:
            return self.order(parsers.read_entries(rows, self.read, self.what, self.check))
        except parsers.EntryErrors as errors:
            self.widget.wrong_rows = errors.numbers  # shown again, the typed rows come first, in the same order
            raise forms.ValidationError(errors.messages) from None
        except ValueError as error:  # too many rows
            raise forms.ValidationError(str(error)) from None


# --- the two lists the application form asks ---------------------------------------------------------------
def _period(row: Row) -> dict:
    if row["field"] not in parsers.WORK_FIELDS:
        raise ValueError(_("请选择工作类型"))
    if not str(row["start"]).strip():
        raise ValueError(_("请填写开始月份"))
    start = parsers.month_of(row["start"])
    if row["now"]:
        return {"field": row["field"], "start": start, "end": None}
    if not str(row["end"]).strip():
        raise ValueError(_("请填写结束月份；仍在做的工作请勾选“至今”"))
    return {"field": row["field"], "start": start, "end": parsers.month_of(row["end"])}


def _certificate(row: Row) -> dict:
    if row["level"] not in parsers.CERTIFICATE_HELD:
        raise ValueError(_("请选择证书等级"))
    if not str(row["obtained_on"]).strip():
        raise ValueError(_("请填写取得日期"))
    return {"level": row["level"], "obtained_on": parsers.obtained_date(row["obtained_on"])}


BLANK = ("", gettext_lazy("请选择"))


def work_history_field(*, label, fields, help_text) -> RowsField:
    """Periods of work: the kind of work (`fields`: code, label), the first month and the last one or 至今."""
    return RowsField(
        label=label,
        help_text=help_text,
        inputs=(
            RowInput("field", gettext_lazy("工作类型"), "select", choices=(BLANK, *fields)),
            RowInput("start", gettext_lazy("开始月份"), "month", css="col-6"),
            RowInput("end", gettext_lazy("结束月份"), "month", css="col-6"),
            RowInput("now", gettext_lazy("至今"), "until", css="col-6 offset-6", until="end"),
        ),
        read=_period,
        check=parsers.history_problems,
        order=parsers.sorted_history,
        what=parsers.PERIOD,
        add_label=gettext_lazy("添加一段经历"),
        blank_rows=3,
    )


def certificates_field(*, label, levels, help_text) -> RowsField:
    """Certificates held: the level (`levels`: code, label) and the day it was obtained."""
    return RowsField(
        label=label,
        help_text=help_text,
        inputs=(
            RowInput("level", gettext_lazy("证书等级"), "select", css="col-12 col-sm-7", choices=(BLANK, *levels)),
            RowInput("obtained_on", gettext_lazy("取得日期"), "date", css="col-12 col-sm-5"),
        ),
        read=_certificate,
        check=parsers.certificate_problems,
        order=parsers.sorted_certificates,
        what=parsers.CERTIFICATE,
        add_label=gettext_lazy("添加一本证书"),
        blank_rows=2,
    )
