"""Storing what the rules engine derived from a timeline into the tables the board, the reminders and the
reports query (same transaction as the event), and the JSON form of event data and facts."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import date, datetime
from typing import Any

from coordination import rules
from coordination.models import Admission, FaerdigbehandlingDay, FaerdigbehandlingPeriod, Obligation
from coordination.services.forloeb_derived import store_forloeb


def to_json(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return to_json(dataclasses.asdict(value))
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    return value


def store(admission: Admission, evaluation: rules.Evaluation, *, new: bool = False) -> None:
    """Write what the engine derived into the tables the board queries (same transaction as the event).
    `new`: nothing is stored for the admission yet (services.batch), so nothing is read or removed first."""
    existing = {} if new else {o.key: o for o in admission.obligations.all()}
    wanted = {o.key: o for o in evaluation.obligations}
    to_create, to_update = [], []
    for key, ob in wanted.items():
        status = "open" if ob.status == "overdue" else ob.status
        values = dict(
            rule=ob.rule,
            owner=ob.owner,
            label=ob.label,
            message_code=ob.message or "",
            due_at=ob.due,
            status=status,
            met_at=ob.met_at,
            possible=ob.possible,
            impossible_reason=ob.impossible_reason,
            why={"key": ob.why.key, "params": to_json(dict(ob.why.params))} if ob.why is not None else {},
            step=ob.step,
        )
        row = existing.get(key)
        if row is None:
            to_create.append(Obligation(admission=admission, key=key, **values))
        elif any(getattr(row, f) != v for f, v in values.items()):
            for f, v in values.items():
                setattr(row, f, v)
            to_update.append(row)
    gone = [row.pk for key, row in existing.items() if key not in wanted]
    if gone:
        Obligation.objects.filter(pk__in=gone).delete()
    Obligation.objects.bulk_create(to_create)
    if to_update:
        Obligation.objects.bulk_update(
            to_update,
            ["rule", "owner", "label", "message_code", "due_at", "status", "met_at", "possible"]
            + ["impossible_reason", "why", "step"],
        )

    periods_digest = _periods_digest(evaluation.periods)
    if new or admission.facts.get("periods_digest") != periods_digest:
        _store_periods(admission, evaluation.periods, new=new)

    open_dues = [
        o.due
        for o in evaluation.obligations
        if o.status in ("open", "overdue") and o.due is not None and o.possible
    ]
    admission.over_48h = evaluation.over_48h
    admission.expected_faerdigbehandlet_on = evaluation.expected_faerdigbehandlet_on
    admission.faerdigbehandlet_date_certain = evaluation.faerdigbehandlet_date_certain
    admission.faerdigbehandlet_on = evaluation.faerdigbehandlet_on
    admission.planned_discharge_at = evaluation.planned_discharge_at
    admission.agreed_discharge_at = evaluation.agreed_discharge_at
    admission.left_at = evaluation.left_at
    admission.discharge_registered_at = evaluation.discharge_registered_at
    admission.extended_responsibility_until = evaluation.extended_responsibility_until
    admission.medicine_until = evaluation.medicine_until
    admission.next_due_at = min(open_dues, key=lambda due: due.timestamp(), default=None)
    owing = {o.owner for o in evaluation.obligations if o.status in ("open", "overdue") and o.possible}
    admission.owed_by_hospital = "hospital" in owing
    admission.owed_by_municipality = "municipality" in owing
    # Keys and parameters, no sentences: the admission page makes the text in the reader's language.
    admission.warnings = [
        {"rule": w.rule, "key": w.key, "params": to_json(dict(w.params))} for w in evaluation.warnings
    ]
    # With the digest of the periods as stored: the next event that leaves them as they are reads none.
    admission.facts = {**facts_of(evaluation), "periods_digest": periods_digest}
    admission.judged_steps = judged_steps(evaluation)
    admission.reevaluate_at = evaluation.reevaluate_at
    admission.save()
    if not (new and evaluation.forloeb is None):
        store_forloeb(admission, evaluation.forloeb)


def judged_steps(evaluation: rules.Evaluation) -> list[dict]:
    """Issue 14: every step judged at the time of deriving (rules/actions.py); the admission page offers the
    available ones and puts first the one that meets the side's earliest open duty. A column of its own:
    the board, which reads the facts, shows none of them."""
    return [
        {
            "step": s.step.key,
            "available": s.available,
            "rule": s.rule,
            "refused": {"key": s.refused.key, "params": to_json(dict(s.refused.params))}
            if s.refused is not None
            else None,
            "meets": list(s.meets),
        }
        for s in evaluation.steps
    ]


def facts_of(evaluation: rules.Evaluation) -> dict:
    """The engine's facts for the screens, as JSON (read back through the Admission's properties)."""
    pfp = evaluation.pfp
    return {
        "unread": {side: list(codes) for side, codes in evaluation.unread.items()},
        "pfp": to_json(vars(pfp)) if pfp is not None else None,
        "goes_to_plejebolig": evaluation.goes_to_plejebolig,
        "coordination_requested": evaluation.coordination_requested,
        "coordination_identified": evaluation.coordination_identified,
        "rehabilitation_start_by": to_json(evaluation.rehabilitation_start_by),
        "usr_sent_at": to_json(evaluation.usr_sent_at),
        "mof": mof_fact(evaluation.periods),
        "ilr_expected": evaluation.ilr_expected,
        "conference_minutes": to_json(dict(evaluation.conference_minutes)),
        "citizen": to_json(evaluation.citizen),
        # R-CORRECTION: which event, how, by which event (its row names who) and why (the page strikes out).
        "corrections": [to_json(vars(c)) for c in evaluation.corrections],
        "sources": dict(evaluation.sources),
        # Sundhedsloven § 41: the citizen's wishes about sharing in force (`event`: its sequence).
        "sharing": to_json(vars(evaluation.sharing)) if evaluation.sharing is not None else None,
    }


def mof_fact(periods: list[rules.Period]) -> dict | None:
    """The MOF column's fact: the newest færdigbehandling period as the engine derived it (R-FB-REG, ended
    by R-FB-RESUME or the departure) and the last dispute (R-FB-DISPUTE); the board reads it with the
    admission, not the periods (issue 15). None: no period."""
    if not periods:
        return None
    ordered = sorted(periods, key=lambda p: p.registered_at)
    newest, disputed = ordered[-1], [p for p in ordered if p.disputed]
    return to_json(
        {
            "registered_on": newest.registered,
            "ended_on": newest.ended,
            "voided": newest.voided,
            "resumed": newest.resumed,
            "waiting_for": list(newest.waiting_for),
            "disputed": bool(disputed),
            "dispute_note": disputed[-1].dispute_note if disputed else "",
        }
    )


def _period_values(p: rules.Period) -> dict:
    return dict(
        registered_on=p.registered,
        registered_at=p.registered_at,
        ended_on=p.ended,
        days=p.days if p.ended is not None else 0,
        voided=p.voided,
        waiting_for=list(p.waiting_for),
        disputed=p.disputed,
        dispute_note=p.dispute_note,
        resumed=p.resumed,
    )


def _period_days(p: rules.Period) -> list[tuple[date, bool]]:
    """The dates the figures group by (R-MON-FB): a kept period's registration date and its paid days as the
    engine counted them (rules.fee_days; an open period's up to the evaluation's `now`)."""
    if p.voided:
        return []
    return [(p.registered, False), *((d, True) for d in rules.fee_days(p))]


def _periods_digest(periods) -> str:
    """A fingerprint of the periods and their dates as `_store_periods` writes them (issue 15: most events
    leave them; reading them back to find that out cost two queries of every event appended)."""
    written = [[to_json(_period_values(p)), to_json(sorted(_period_days(p)))] for p in periods]
    return hashlib.sha256(json.dumps(written, sort_keys=True).encode()).hexdigest()[:32]


def _store_periods(admission: Admission, periods: list[rules.Period], *, new: bool) -> None:
    """The færdigbehandling periods and their dates. Only what changed is written: a stored period that is
    as derived, with the same dates, is left; the others are replaced (their dates go with them, cascade)."""
    existing = {} if new else {row.registered_at: row for row in admission.periods.prefetch_related("dates")}
    kept, made = set(), []
    for period in periods:
        values = _period_values(period)
        row = existing.get(period.registered_at)
        if (
            row is not None
            and all(getattr(row, f) == v for f, v in values.items())
            and sorted((d.day, d.paid) for d in row.dates.all()) == sorted(_period_days(period))
        ):
            kept.add(row.pk)
        else:
            made.append(period)
    gone = [row.pk for row in existing.values() if row.pk not in kept]
    if gone:
        FaerdigbehandlingPeriod.objects.filter(pk__in=gone).delete()
    rows = FaerdigbehandlingPeriod.objects.bulk_create(
        FaerdigbehandlingPeriod(admission=admission, **_period_values(p)) for p in made
    )
    FaerdigbehandlingDay.objects.bulk_create(
        FaerdigbehandlingDay(period=row, admission=admission, day=day, paid=paid)
        for row, period in zip(rows, made, strict=True)
        for day, paid in _period_days(period)
    )
