"""The forms of forløbskoordination on the admission page (R-FK): include, change coordinator, set the visit's
due, record the visit, end the course; and the hospital's record that the epikrise went to the GP. Each
records one event through one service; the page's own section (templates/coordination/_forloeb.html)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coordination import rules, services
from coordination.forloeb_texts import CRITERION_LABELS
from coordination.forms.actions import ActionForm
from coordination.forms.fields import date_field, yes_no

HOSPITAL, MUNICIPALITY = rules.HOSPITAL, rules.MUNICIPALITY


class CoordinatorChoice(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return f"{user.get_full_name() or user.username} – {user.staff.organisation}"


def coordinators_for(admission):
    """Who may coordinate this course: the people of the admitting hospital and of the municipality of
    residence who take part in courses, and the region's forløbskoordinatorer."""
    hospital, region = admission.ward.hospital, admission.ward.hospital.region
    coordinators = Q(groups__name="Forløbskoordinator") & (
        Q(staff__ward__hospital__region=region)
        | Q(staff__hospital__region=region)
        | Q(staff__municipality__region=region)
    )
    own = (
        Q(staff__ward__hospital=hospital)
        | Q(staff__hospital=hospital)
        | Q(staff__municipality=admission.municipality)
    )
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__permissions__codename="add_event")
        .filter(own | coordinators)
        .select_related("staff__ward", "staff__hospital", "staff__municipality")
        .distinct()
        .order_by("first_name", "username")
    )


class _CoordinatorForm(ActionForm):
    def __init__(self, *args, admission=None, **kwargs):
        super().__init__(*args, admission=admission, **kwargs)
        if admission is not None:
            self.fields["coordinator"].queryset = coordinators_for(admission)


class IncludeForm(_CoordinatorForm):
    name = "fk-include"
    title = _("Inkludér i forløbskoordination")
    button = _("Inkludér")
    after_departure = True
    service_fields = {"coordinator": "coordinator"}

    criteria = forms.MultipleChoiceField(
        label=_("Kriterier (seed 004)"),
        choices=[(key, label) for key, label in CRITERION_LABELS.items()],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Sæt mindst ét; inklusionen er et fagligt skøn, som kriterierne understøtter."),
    )
    coordinator = CoordinatorChoice(label=_("Forløbskoordinator"), queryset=get_user_model().objects.none())
    judgement = forms.CharField(
        label=_("Fagligt skøn"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def save(self, actor, now):
        d = self.cleaned_data
        return services.include(
            self.admission,
            criteria=d["criteria"],
            coordinator=d["coordinator"],
            judgement=d["judgement"],
            **self.common(actor, now),
        )


class ChangeCoordinatorForm(_CoordinatorForm):
    name = "fk-coordinator"
    title = _("Skift forløbskoordinator")
    button = _("Skift")
    after_departure = True

    coordinator = CoordinatorChoice(
        label=_("Ny forløbskoordinator"), queryset=get_user_model().objects.none()
    )

    def save(self, actor, now):
        return services.change_coordinator(
            self.admission, coordinator=self.cleaned_data["coordinator"], **self.common(actor, now)
        )


class PlanVisitForm(ActionForm):
    name = "fk-plan"
    title = _("Frist for opfølgende hjemmebesøg")
    button = _("Sæt frist")
    after_departure = True

    due_on = date_field(_("Hjemmebesøget senest"))

    def save(self, actor, now):
        return services.plan_home_visit(
            self.admission, due_on=self.cleaned_data["due_on"], **self.common(actor, now)
        )


class VisitDoneForm(ActionForm):
    name = "fk-visit"
    title = _("Opfølgende hjemmebesøg gennemført")
    before_departure = False
    after_departure = True

    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def save(self, actor, now):
        return services.record_home_visit(
            self.admission, note=self.cleaned_data["note"], **self.common(actor, now)
        )


class EndCourseForm(ActionForm):
    name = "fk-end"
    title = _("Afslut forløbskoordinationen")
    button = _("Afslut")
    after_departure = True

    note = forms.CharField(label=_("Note om afslutningen"), widget=forms.Textarea(attrs={"rows": 2}))

    def save(self, actor, now):
        return services.end_course(self.admission, note=self.cleaned_data["note"], **self.common(actor, now))


class EpikriseForm(ActionForm):
    name = "fk-epikrise"
    title = _("Epikrise sendt til egen læge")
    sides = frozenset({HOSPITAL})
    after_departure = True

    on_time = yes_no(_("Sendt rettidigt"))

    def save(self, actor, now):
        return services.record_epikrise(
            self.admission, on_time=self.cleaned_data["on_time"], **self.common(actor, now)
        )


FORLOEB_FORMS = {
    form.name: form
    for form in (
        IncludeForm,
        ChangeCoordinatorForm,
        PlanVisitForm,
        VisitDoneForm,
        EndCourseForm,
        EpikriseForm,
    )
}


def forloeb_forms(admission, course, user, side: str) -> list[ActionForm]:
    """The forms this person is offered now: inclusion while there is no course; the coordinator's steps to
    the coordinator; the epikrise to the hospital once the citizen has left."""
    left = admission.left_at is not None
    offered: list[type[ActionForm]] = []
    if course is None:
        offered.append(IncludeForm)
    elif course.ended_at is None:
        offered.append(ChangeCoordinatorForm)
        if course.coordinator_id == user.pk:
            if course.visit_done_at is None:
                offered.append(PlanVisitForm)
                if left:
                    offered.append(VisitDoneForm)
            offered.append(EndCourseForm)
    if side == HOSPITAL and left and not admission.events.filter(type="epikrise_sent").exists():
        offered.append(EpikriseForm)
    return [form(admission=admission) for form in offered if side in form.sides]
