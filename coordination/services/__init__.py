"""One function per user action. Each checks the state, appends one event to the admission's timeline and
refreshes the derived tables in one transaction: nothing is half-written when it refuses. Refusals carry a
clear Danish message (and the rule id when an agreement forbids the step).

The modules, by the domain:
- `core`: who acts, refusals, appending an event and storing what the rules engine derives;
- `admissions`: citizens, admissions and moves; `messages`: MedCom messages and reading them;
- `discharge`: planning the discharge and the departure; `faerdigbehandling`: the registration and the MOF;
- `corrections`: an event entered in error or corrected (R-CORRECTION); `access`: explicit grants;
  `forloeb`: forløbskoordination (R-FK);
- `sharing`: the citizen's wishes about sharing (sundhedsloven § 41);
- `recording`: a replayed or imported event through the service of its type.

Callers use `from coordination import services` and `services.send_pfp(...)`."""

from coordination.services.access import grant_access, granted_to, revoke_access
from coordination.services.admissions import (
    admit_and_advise,
    admit_citizen,
    change_citizen_facts,
    register_citizen,
    remember_paper_language,
    transfer_admission,
)
from coordination.services.core import (
    Actor,
    ServiceError,
    VersionConflict,
    refresh_derived_state,
    refresh_due_admissions,
)
from coordination.services.corrections import correct_event, corrector_side, mark_entered_in_error
from coordination.services.discharge import (
    hold_conference,
    identify_coordination,
    plan_conference,
    plan_discharge,
    record_departure,
    record_leave,
    record_municipality_contact,
    record_phone_agreement,
    register_discharge,
    start_rehabilitation,
)
from coordination.services.faerdigbehandling import dispute_mof, register_faerdigbehandlet, resume_treatment
from coordination.services.forloeb import (
    change_coordinator,
    end_course,
    include,
    plan_home_visit,
    record_epikrise,
    record_home_visit,
)
from coordination.services.medcom import ImportResult, receive_message
from coordination.services.messages import (
    mark_read,
    mark_unread,
    read_messages,
    send_km,
    send_message,
    send_pfp,
)
from coordination.services.recording import record_event
from coordination.services.sharing import record_sharing_wishes
from coordination.services.usr import save_usr_draft, send_usr, usr_versions

__all__ = [
    "Actor",
    "ImportResult",
    "ServiceError",
    "VersionConflict",
    "record_sharing_wishes",
    "admit_and_advise",
    "admit_citizen",
    "change_citizen_facts",
    "correct_event",
    "corrector_side",
    "change_coordinator",
    "dispute_mof",
    "end_course",
    "grant_access",
    "granted_to",
    "hold_conference",
    "identify_coordination",
    "mark_entered_in_error",
    "include",
    "mark_read",
    "mark_unread",
    "read_messages",
    "plan_conference",
    "plan_discharge",
    "plan_home_visit",
    "record_departure",
    "record_epikrise",
    "record_event",
    "record_home_visit",
    "record_leave",
    "receive_message",
    "record_municipality_contact",
    "record_phone_agreement",
    "refresh_derived_state",
    "refresh_due_admissions",
    "register_citizen",
    "remember_paper_language",
    "register_discharge",
    "register_faerdigbehandlet",
    "resume_treatment",
    "revoke_access",
    "save_usr_draft",
    "send_km",
    "send_message",
    "send_pfp",
    "send_usr",
    "start_rehabilitation",
    "transfer_admission",
    "usr_versions",
]
