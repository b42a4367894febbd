"""The yearly evaluation of forløbskoordination (R-FK-QUALITY) as tables and charts for the page, the exports
and the PDF. Per course only the courses the reader takes part in are listed (by name, logged); the rest
stay a count."""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from coordination import rules
from coordination.forloeb_texts import QUALITY_LABELS, QUALITY_SHORT, verdict
from coordination.models import Admission
from coordination.rules.calendar import local_date

from .charts import Chart
from .forloeb import courses_in, forloeb_rows
from .tables import Cell, Table, _key_cells, _labels, _municipality_names


def forloeb_tables(start: date, end: date, by: tuple[str, ...], scope: Q, user) -> tuple[list[Table], list]:
    """The tables, and the admissions the per-course table names (for the access log)."""
    labels, names = _labels(), _municipality_names()
    rows = forloeb_rows(start, end, by=by, scope=scope)
    head = [labels[b] for b in by] + [_("År")]
    courses = Table(
        "courses",
        _("Koordinationsforløb pr. år"),
        head
        + [
            _("Forløb"),
            _("Inkluderet af hospitalet"),
            _("Inkluderet af kommunen"),
            _("Hjemmebesøg gennemført"),
            _("Afsluttede"),
        ],
        note=_("Et forløb hører til året, det blev inkluderet (dansk tid)."),
    )
    quality = Table(
        "quality",
        _("Kvalitetsparametre pr. år i alt"),
        head
        + [
            _("Kvalitetsparameter"),
            _("Forløb"),
            _("Opfyldt"),
            _("Ikke opfyldt"),
            _("Ikke relevant eller ikke afgjort"),
            _("Andel opfyldt"),
        ],
        note=_("Andelen regnes af de forløb, hvor parameteren er afgjort."),
    )
    for r in rows:
        keys = _key_cells(r.keys, names) + [Cell(r.year)]
        courses.rows.append(
            keys
            + [
                Cell(r.courses),
                Cell(r.by_hospital),
                Cell(r.by_municipality),
                Cell(r.visits_done),
                Cell(r.ended),
            ]
        )
        for name in rules.FK_QUALITY:
            q = r.quality[name]
            quality.rows.append(
                keys
                + [Cell(str(QUALITY_LABELS[name])), Cell(r.courses), Cell(q.met), Cell(q.not_met)]
                + [Cell(q.undecided), Cell(q.share)]
            )
    per_course, shown = _per_course(start, end, scope, user)
    return [courses, quality, per_course], shown


def _per_course(start: date, end: date, scope: Q, user) -> tuple[Table, list[Admission]]:
    behind = courses_in(start, end, scope=scope)
    visible = list(
        behind.filter(admission__in=Admission.objects.visible_to(user))
        .select_related("admission__citizen", "admission__ward__hospital", "admission__municipality")
        .order_by("included_at")
    )
    table = Table(
        "per_course",
        _("Kvalitetsparametre pr. forløb"),
        [_("Inkluderet"), _("Borger"), _("Hospital"), _("Kommune")]
        + [str(QUALITY_SHORT[name]) for name in rules.FK_QUALITY],
    )
    for course in visible:
        a = course.admission
        table.rows.append(
            [
                Cell(local_date(course.included_at)),
                Cell(a.citizen.name, href=reverse("admission", args=[a.pk])),
                Cell(a.ward.hospital.name),
                Cell(a.municipality.name),
            ]
            + [Cell(verdict(value)) for value in course.quality().values()]
        )
    hidden = behind.count() - len(visible)
    table.note = (
        _("%(n)s forløb hører til borgere, du ikke deltager i forløbet for; de vises kun som antal.")
        % {"n": hidden}
        if hidden
        else ""
    )
    return table, [c.admission for c in visible]


def forloeb_charts(start: date, end: date, scope: Q) -> list[Chart]:
    rows = forloeb_rows(start, end, scope=scope)
    years = [str(r.year) for r in rows]
    return [
        Chart(
            "fk_courses",
            _("Koordinationsforløb pr. år"),
            years,
            {_("forløb"): [r.courses for r in rows]},
            _("forløb"),
        ),
        Chart(
            "fk_quality",
            _("Andel opfyldt pr. kvalitetsparameter pr. år"),
            years,
            {str(QUALITY_SHORT[name]): [r.quality[name].share for r in rows] for name in rules.FK_QUALITY},
            _("opfyldt"),
            percent=True,
        ),
    ]
