"""The data model, one module per part of the domain. The timeline is the truth: `Event` rows are
appended, never edited. `Obligation`, `FaerdigbehandlingPeriod` and the board columns of `Admission` are
derived from the timeline by the rules engine (`coordination.rules`) and stored in the same transaction as
the event (see `coordination.services`)."""

from coordination.models.activity import (  # noqa: F401
    AccessAction,
    AccessLog,
    AccessLogQuerySet,
    AdmissionSeen,
    BoardVisit,
    EmailState,
    EventNotice,
    Notification,
    NotificationKind,
    Reminder,
    UnreadMark,
    UsrDraft,
    WeeklyOverview,
)
from coordination.models.admissions import (  # noqa: F401
    Admission,
    AdmissionGroupObjectPermission,
    AdmissionQuerySet,
    AdmissionUserObjectPermission,
    _date_or_none,
)
from coordination.models.derived import (  # noqa: F401
    FaerdigbehandlingDay,
    FaerdigbehandlingPeriod,
    FeeTariff,
    Obligation,
    ObligationQuerySet,
    ObligationStatus,
)
from coordination.models.events import (  # noqa: F401
    HOSPITAL_EVENT_TYPES,
    MUNICIPALITY_EVENT_TYPES,
    AppendOnlyQuerySet,
    Event,
    EventType,
)
from coordination.models.forloeb import Forloeb, ForloebQuerySet  # noqa: F401
from coordination.models.medcom import (  # noqa: F401
    EpisodeOfCareIdentifier,
    GatewayToken,
    MedcomMessage,
    MedcomStatus,
    MedcomUnit,
)
from coordination.models.people import Citizen, StaffMember  # noqa: F401
from coordination.models.places import (  # noqa: F401
    HOSPITAL,
    MUNICIPALITY,
    PHONE_VALIDATOR,
    TAKE_PART,
    AgreementProfile,
    Hospital,
    Municipality,
    Region,
    Side,
    Ward,
    phone_field,
    validate_cpr_field,
)
