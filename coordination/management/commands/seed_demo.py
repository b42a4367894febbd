"""`python manage.py seed_demo [--admissions N] [--seed S] [--json] [--if-empty]` (CONTRACTS.md).

Deterministic demo data for Region Hovedstaden, recorded through `load_timelines`' path so that it obeys the
rules, and demo users of every role."""

import json
from collections import Counter
from functools import partial

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from coordination.demo import demo_timelines
from coordination.management.commands.load_timelines import load_line
from coordination.models import Admission, Hospital, Municipality, Region, StaffMember, Ward
from coordination.roles import ROLES

from ._parallel import default_jobs, in_processes

DEMO_PASSWORD = "Sektor-demo-2026"


def _code(name: str) -> str:
    # A short code from the initials: "Nordsjællands Hospital" -> "NH".
    return "".join(word[0] for word in name.replace("-", " ").split() if word[0].isalpha()).upper()


def _load(timeline: dict, *, now) -> tuple[str | None, str]:
    try:
        load_line(timeline, now=now)
    except Exception as error:  # noqa: BLE001 - report the line and go on, as load_timelines does
        return "failed", str(error)
    return None, ""


class Command(BaseCommand):
    help = "Opretter demodata for Region Hovedstaden og demobrugere (deterministisk)."

    def add_arguments(self, parser):
        parser.add_argument("--admissions", type=int, default=40, help="antal indlæggelser (standard 40)")
        parser.add_argument("--seed", type=int, default=1, help="frø for tilfældige valg (standard 1)")
        parser.add_argument(
            "--jobs",
            type=int,
            default=default_jobs(),
            help="antal processer (standard: antal kerner); demodataene er de samme for alle antal",
        )
        parser.add_argument("--json", action="store_true", help="skriv brugerne som JSON på standard output")
        parser.add_argument(
            "--if-empty", action="store_true", help="gør intet, hvis der allerede er indlæggelser"
        )

    def handle(self, *args, **options):
        count = options["admissions"]
        if count < 0:
            raise CommandError("--admissions skal være 0 eller mere", returncode=2)
        if options["if_empty"] and Admission.objects.exists():
            self.stderr.write("Der er allerede data; demodata springes over.")
            users = self._users(Counter(), Counter())
        else:
            now = timezone.now()
            timelines = demo_timelines(count, options["seed"], now)
            work = list(enumerate(timelines, start=1))
            failures = in_processes(work, partial(_load, now=now), jobs=options["jobs"], fast_commit=True)
            for number, _kind, why in failures:
                self.stderr.write(f"demo-tidslinje {number}: {why}")
            failed = len(failures)
            wards = Counter((t["where"]["hospital"], t["where"]["ward"]) for t in timelines)
            municipalities = Counter(t["where"]["municipality"] for t in timelines)
            users = self._users(wards, municipalities)
            if failed:
                raise CommandError(f"{failed} demo-tidslinjer kunne ikke indlæses", returncode=1)
        admissions = Admission.objects.count()
        if options["json"]:
            self.stdout.write(json.dumps({"users": users, "admissions": admissions}, ensure_ascii=False))
        else:
            self.stderr.write(f"{admissions} indlæggelser. Demobrugere (adgangskode {DEMO_PASSWORD}):")
            for user in users:
                org = user["organisation"]
                self.stderr.write(f"  {user['username']:<24} {ROLES[user['role']]:<24} {org['name']}")

    @transaction.atomic
    def _users(self, wards: Counter, municipalities: Counter) -> list[dict]:
        region = Region.objects.get(slug="hovedstaden")
        ward_keys = [key for key, _ in wards.most_common(2)] or [
            ("Nordsjællands Hospital", "Medicinsk afdeling")
        ]
        ward_objs = []
        for hospital_name, ward_name in ward_keys:
            hospital, _ = Hospital.objects.get_or_create(name=hospital_name, defaults={"region": region})
            ward, _ = Ward.objects.get_or_create(hospital=hospital, name=ward_name)
            ward_objs.append(ward)
        if len(ward_objs) == 1:
            hospital = ward_objs[0].hospital
            extra, _ = Ward.objects.get_or_create(hospital=hospital, name="Geriatrisk afdeling")
            ward_objs.append(extra)
        for obj in {w.hospital for w in ward_objs} | set(ward_objs):
            if not obj.code:
                obj.code = (
                    _code(obj.name)
                    if isinstance(obj, Hospital)
                    else f"{_code(obj.hospital.name)}-{_code(obj.name)}"
                )
                obj.save(update_fields=["code"])
        codes = [code for code, _ in municipalities.most_common(2)]
        for fallback in ("0219", "0101"):
            if len(codes) < 2 and fallback not in codes:
                codes.append(fallback)
        munis = [Municipality.objects.get(code=code) for code in codes]

        def slug(text: str) -> str:
            table = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", " ": "", "-": ""})
            return text.lower().translate(table)

        plan = [
            (f"sygeplejerske.{slug(ward_objs[0].name)[:8]}", "ward_nurse", {"ward": ward_objs[0]}),
            (f"sygeplejerske.{slug(ward_objs[1].name)[:8]}", "ward_nurse", {"ward": ward_objs[1]}),
            (
                f"koordinator.{_code(ward_objs[0].hospital.name).lower()}",
                "discharge_coordinator",
                {"hospital": ward_objs[0].hospital},
            ),
            (f"visitator.{slug(munis[0].name)}", "visitator", {"municipality": munis[0]}),
            (f"visitator.{slug(munis[1].name)}", "visitator", {"municipality": munis[1]}),
            (f"forloeb.{slug(munis[0].name)}", "forloebskoordinator", {"municipality": munis[0]}),
            ("leder.region", "manager", {"region": region}),
            ("admin", "administrator", {"region": region}),
        ]
        # Fictitious people: the header shows a person's name, never the login (a Danish word in English).
        names = iter(
            [
                ("Sara", "Holm"),
                ("Mikkel", "Dahl"),
                ("Hanne", "Krog"),
                ("Ida", "Lund"),
                ("Peter", "Skov"),
                ("Rikke", "Berg"),
                ("Lone", "Vang"),
                ("Anders", "Mølgaard"),
            ]
        )
        users = []
        User = get_user_model()
        for username, role, organisation in plan:
            if len({u["username"] for u in users} | {username}) == len(users):
                username = f"{username}2"  # two wards with the same first letters
            user, _ = User.objects.get_or_create(username=username)
            user.first_name, user.last_name = next(names)
            user.set_password(DEMO_PASSWORD)
            user.is_staff = user.is_superuser = role == "administrator"
            user.save()
            user.groups.set([Group.objects.get_or_create(name=ROLES[role])[0]])
            StaffMember.objects.update_or_create(
                user=user,
                defaults={
                    "ward": None,
                    "hospital": None,
                    "municipality": None,
                    "region": None,
                    **organisation,
                },
            )
            ((kind, org),) = organisation.items()
            users.append(
                {
                    "username": username,
                    "password": DEMO_PASSWORD,
                    "role": role,
                    "organisation": {
                        "kind": kind,
                        "name": str(org) if kind != "ward" else f"{org.name}, {org.hospital.name}",
                        "code": org.code,
                    },
                }
            )
        return users
