"""The forms of the board and the admission page: Danish labels, errors on the right field, each side its
own."""

import pytest
from django.utils import translation

from coordination import services
from coordination.forms import (
    ACTION_FORMS,
    BoardFilterForm,
    FaerdigbehandletForm,
    KmForm,
    NewAdmissionForm,
    PfpForm,
    forms_for_side,
)
from coordination.rules import FB_CHECKLIST
from coordination.services import ServiceError


def test_every_action_form_has_its_own_prefix_so_ids_never_clash_on_the_page(admission):
    ids = set()
    for form_class in ACTION_FORMS.values():
        form = form_class(admission=admission)
        for field in form:
            assert field.auto_id not in ids
            ids.add(field.auto_id)


def test_each_side_gets_only_its_own_forms():
    hospital = {f.name for f in forms_for_side("hospital")}
    municipality = {f.name for f in forms_for_side("municipality")}
    assert {"pfp", "fb", "usr", "gop", "departure", "resume", "plan"} <= hospital - municipality
    assert {"ilr", "milr"} <= municipality - hospital
    # the start of rehabilitation is offered once the citizen has left (issue 14: before, it meets nothing)
    assert "rehabilitation" not in municipality
    assert "rehabilitation" in {f.name for f in forms_for_side("municipality", left=True)}
    assert {
        "km",
        "phone",
        "contact",
        "conference_plan",
        "conference_held",
        "dispute",
    } <= hospital & municipality


def test_a_new_form_carries_the_version_and_the_time_it_happened(admission):
    form = PfpForm(admission=admission)
    assert form["expected_version"].value() == admission.version and form["at"].value() is not None
    assert form["expected_version"].is_hidden


def test_a_service_error_lands_on_the_field_it_names(admission):
    form = PfpForm({"pfp-at": "2026-02-03T10:00", "pfp-expected_version": 1}, admission=admission)
    form.is_valid()
    form.add_service_error(ServiceError("Dato mangler", field="faerdigbehandlet_date"))
    form.add_service_error(ServiceError("Aftalen forbyder det", rule="R-FLOW"))
    assert "Dato mangler" in form.errors["faerdigbehandlet_date"]
    assert form.non_field_errors() == ["Aftalen forbyder det (R-FLOW)"]


def test_a_conflict_is_shown_above_the_form_not_on_the_hidden_version():
    form = PfpForm({}, admission=None)
    form.is_valid()
    form.add_service_error(services.VersionConflict("Ændret af en anden"))
    assert form.non_field_errors() == ["Ændret af en anden"]


def test_the_readiness_checklist_has_a_box_per_item_of_r_fb_def(admission):
    form = FaerdigbehandletForm(admission=admission)
    assert [field.label for field in form.checklist()] == [item.text for item in FB_CHECKLIST]


def test_the_checklist_is_translated_to_english(admission):
    with translation.override("en"):
        labels = [str(field.label) for field in FaerdigbehandletForm(admission=admission).checklist()]
    assert labels[3] == "Patient and relatives are informed"


def test_a_km_offers_the_fixed_subjects_of_the_agreements():
    subjects = [value for value, _label in KmForm.base_fields["subject"].choices]
    assert subjects[:3] == ["Plejeforløbsplan ok", "Plejeforløbsplan", "Udvidet koordinering"]


def test_the_labels_are_danish(admission):
    form = PfpForm(admission=admission)
    assert form["at"].label == "Hvornår skete det?"
    assert form["date_certain"].label == "Datoen er sikker"


def test_the_new_admission_form_offers_a_ward_nurse_only_her_ward(nurse, ward, other_ward):
    form = NewAdmissionForm(staff=nurse.staff)
    assert list(form.fields["ward"].queryset) == [ward]
    assert form["ward"].value() == ward.pk


@pytest.mark.django_db
def test_the_filter_form_builds_its_choices_from_what_the_user_may_see():
    options = [
        {
            "ward_id": 1,
            "ward__name": "M1",
            "ward__hospital_id": 7,
            "ward__hospital__name": "Herlev",
            "municipality_id": 3,
            "municipality__name": "Hillerød",
        }
    ]
    form = BoardFilterForm({"hospital": "7", "ward": "99"}, options=options)
    assert form.fields["hospital"].choices[1] == (7, "Herlev")
    values = form.values()
    assert values["hospital"] == 7 and "ward" not in values  # a stale ward in a bookmark is ignored


def test_after_the_departure_the_page_offers_only_what_may_still_be_recorded():
    # R-FLOW: after left_ward only a KM, USR, GOP, the discharge registration, rehabilitation and a dispute.
    before = {f.name for f in forms_for_side("hospital")}
    after = {f.name for f in forms_for_side("hospital", left=True)}
    assert "pfp" in before and "departure" in before and "discharge" not in before
    # a fact about the citizen may still be corrected (citizen_changed), and the citizen may change their
    # mind about sharing (sharing_wishes, sundhedsloven § 41)
    assert after == {"km", "dispute", "usr", "gop", "discharge", "citizen", "sharing"}
    assert {f.name for f in forms_for_side("municipality", left=True)} == {
        "km",
        "dispute",
        "rehabilitation",
        "citizen",
    }
