"""The forms of the board and the admission page, one module per kind. Danish labels; a refusal from a
service lands next to the field it names (`ServiceError.field`), otherwise above the form."""

from coordination.forms.actions import (  # noqa: F401
    OTHER,
    ActionForm,
    GopForm,
    HoldConferenceForm,
    IlrForm,
    KmForm,
    MilrForm,
    MunicipalityContactForm,
    PfpForm,
    PhoneAgreementForm,
    PlanConferenceForm,
    PlanDischargeForm,
    UsrForm,
)
from coordination.forms.board import BoardFilterForm, NewAdmissionForm  # noqa: F401
from coordination.forms.course import (  # noqa: F401
    ACTION_FORMS,
    CHECKLIST_LABELS,
    CitizenFactsForm,
    DepartureForm,
    DischargeRegisteredForm,
    DisputeMofForm,
    FaerdigbehandletForm,
    RehabilitationStartedForm,
    ResumeTreatmentForm,
    forms_for_side,
)
from coordination.forms.fields import (  # noqa: F401
    DateInput,
    DateTimeLocalInput,
    ServiceErrorsMixin,
    date_field,
    moment_field,
    now_minute,
    yes_no,
)
from coordination.forms.sharing import SharingWishesForm  # noqa: F401
