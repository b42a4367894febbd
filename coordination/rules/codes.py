"""The engine's codes: the parties, statuses, event types, message codes and the other closed lists that
events and profiles use (REPLAY.md, RULES.md). Plain data, no Django."""

from __future__ import annotations

HOSPITAL = "hospital"
MUNICIPALITY = "municipality"
PARTIES = (HOSPITAL, MUNICIPALITY)

# Obligation statuses (RULES.md "How an obligation is judged").
OPEN = "open"
OVERDUE = "overdue"
MET = "met"
LATE = "late"

EVENT_TYPES = (
    "admitted",
    "message",
    "message_read",
    "coordination_identified",
    "discharge_planned",
    "phone_agreement",
    "municipality_contacted",
    "conference_planned",
    "conference_held",
    "faerdigbehandlet",
    "treatment_resumed",
    "left_ward",
    "discharge_registered",
    "rehabilitation_started",
    # Not in REPLAY.md: the board's way to record R-FB-DISPUTE (a MOF marked disputed, with a note).
    "mof_disputed",
    # Not in REPLAY.md: the citizen moved to another ward, or changed municipality of residence, during the
    # stay. It moves the access to the course; no duty depends on it.
    "transferred",
    # Not in REPLAY.md: leave at home during the stay (MedCom HospitalNotification STOR/SLOR, issue 12). It
    # is shown on the timeline; no duty depends on it (MedCom: leave does not restart municipal services).
    "leave_started",
    "leave_ended",
    # Not in REPLAY.md: a fact the rules read about the citizen (known in EOJ, residence, social area,
    # terminal) changed or was corrected, with the reason; the rules read the facts as changed from then on.
    "citizen_changed",
    # Not in REPLAY.md: corrections (issue 12). Nothing is edited or deleted: `entered_in_error` marks an
    # earlier event as never having happened, `corrected` gives some of its values anew; the engine judges
    # the effective timeline (rules/corrections.py).
    "entered_in_error",
    "corrected",
    # Not in REPLAY.md: forløbskoordination (R-FK, seed 004, issue 13). Either side includes the citizen with
    # the criteria ticked and a named coordinator; the coordinator may change, sets the due of the follow-up
    # home visit after discharge, records the visit and ends the course with a note.
    "fk_included",
    "fk_coordinator_changed",
    "fk_visit_planned",
    "fk_visit_done",
    "fk_ended",
    # Not in REPLAY.md: the epikrise went to the GP (R-FK-QUALITY). It goes to the GP, not through the board,
    # so the hospital records the fact, with whether it went on time.
    "epikrise_sent",
    # Not in REPLAY.md: the citizen's wishes about sharing (seed 001; sundhedsloven § 41). The hospital
    # records which USR sections the citizen has declined to have passed on to the municipality, and
    # whether (and whom) the relatives may be contacted. A change of mind is a new event: the newest wins.
    "sharing_wishes",
)
# The two kinds of correction; neither is judged as a step of the course.
CORRECTION_TYPES = ("entered_in_error", "corrected")

# Codes a `message` event may carry. MOF, MOF-GENOPTAGET and ADVIS-UD follow from events instead.
MESSAGE_CODES = ("ADVIS-IND", "ILR", "MILR", "PFP", "KM", "USR", "GOP")
# Messages that follow from events: faerdigbehandlet -> MOF, treatment_resumed -> MOF-GENOPTAGET,
# discharge_registered -> ADVIS-UD.
EVENT_MESSAGE_CODES = {
    "faerdigbehandlet": "MOF",
    "treatment_resumed": "MOF-GENOPTAGET",
    "discharge_registered": "ADVIS-UD",
}
# Codes a `message_read` event may name: every message, those that follow from events included.
READ_CODES = MESSAGE_CODES + ("MOF", "MOF-GENOPTAGET", "ADVIS-UD")

# Who sends each message (seed 000 "Overordnet meddelelsesflow"); the other side receives it.
MESSAGE_SENDER = {
    "ADVIS-IND": HOSPITAL,
    "ILR": MUNICIPALITY,
    "MILR": MUNICIPALITY,
    "PFP": HOSPITAL,
    "USR": HOSPITAL,
    "GOP": HOSPITAL,
    "MOF": HOSPITAL,
    "MOF-GENOPTAGET": HOSPITAL,
    "ADVIS-UD": HOSPITAL,
}

WAITING_REASONS = (
    "midlertidig_plads",
    "genoptraeningsplads",
    "plejebolig",
    "hjaelpemidler",
    "boligaendring",
    "hjemmepleje",
    "andet",
)
# R-FK (seed 004 "Målgruppe"): the criteria that support the professional judgement, by group.
FK_CRITERIA = {
    "health": ("reduced_function", "severe_illness", "medication_followup"),
    "organisational": ("readmissions_long_stay", "frequent_contact"),
    "social": (
        "weak_network",
        "recently_widowed",
        "limited_self_care",
        "abuse",
        "cognition_communication",
    ),
}
FK_CRITERIA_ALL = tuple(c for group in FK_CRITERIA.values() for c in group)
# R-FK-QUALITY (seed 004 "Evaluering"): the six quality parameters of a course, in the seed's order.
FK_QUALITY = ("ilr", "discharge_plan", "pfp", "mof", "usr", "epikrise")
RESIDENCES = ("own_home", "plejebolig", "midlertidig_plads")
EXPECTED_STAYS = ("under_48h", "over_48h")
RESUME_REASONS = ("relapse", "error")
PROFILE_CODES = ("hovedstaden", "sjaelland", "midtjylland")
# The USR's content sections (coordination/printouts/content.py) a citizen may decline to have passed on to
# the municipality (`sharing_wishes`). Not the help the municipality itself gives, the rehabilitation it
# starts (the GOP goes by its own law) nor the municipality's own phone number.
SHARING_SECTIONS = (
    "summary",
    "function",
    "nursing",
    "medicine",
    "aids",
    "appointments",
    "contacts",
    "wishes",
)
