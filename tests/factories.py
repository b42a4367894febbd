"""Factories for the three actors of every access test: a hospital ward, the citizen's municipality and an
outsider (another ward, another municipality)."""

import random
from datetime import date

import factory
from django.contrib.auth import get_user_model

from coordination.cpr import fictitious_cpr
from coordination.models import Citizen, Hospital, Municipality, Region, StaffMember, Ward

PASSWORD = "Korrekt-Hest-Batteri-42"
_rng = random.Random(20261122)


def region(slug: str = "hovedstaden") -> Region:
    return Region.objects.get(slug=slug)


def municipality(code: str) -> Municipality:
    return Municipality.objects.get(code=code)


class HospitalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hospital
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Testhospital {n}")
    region = factory.LazyFunction(region)


class WardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ward

    hospital = factory.SubFactory(HospitalFactory)
    name = factory.Sequence(lambda n: f"Medicinsk afsnit {n}")
    phone = "38 68 30 00"


class CitizenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Citizen

    cpr = factory.LazyFunction(
        lambda: fictitious_cpr(
            date(1930 + _rng.randrange(30), 2 + _rng.randrange(10), 1 + _rng.randrange(28)),
            female=_rng.random() < 0.5,
            rng=_rng,
        )
    )
    name = factory.Sequence(lambda n: f"Karen Testesen {n}")
    municipality = factory.LazyFunction(lambda: municipality("0219"))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"bruger{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def staff_user(username: str, **organisation) -> object:
    """A user working in one organisation unit: ward=…, hospital=…, municipality=… or region=…."""
    user = UserFactory(username=username)
    StaffMember.objects.create(user=user, **organisation)
    return user


def logged_in(user):
    """A test client logged in as this user (without the login form, which django-axes throttles)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def poll_token(response) -> str:
    """The state token the board's live part polls with, as the page carries it (a kept page renders no
    template, so the response has no context to read it from)."""
    import re

    return re.search(r'<div id="live" hx-get="[^"]*v=([^"&]+)"', response.content.decode()).group(1)
