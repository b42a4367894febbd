"""Admin screens for the reference data. Timelines are not edited here: events are appended through
the services."""

from django.contrib import admin

from coordination.models import (
    AgreementProfile,
    Citizen,
    FeeTariff,
    Hospital,
    Municipality,
    Region,
    StaffMember,
    Ward,
)


class AgreementProfileInline(admin.StackedInline):
    model = AgreementProfile
    extra = 0


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "slug")
    inlines = [AgreementProfileInline]


@admin.register(AgreementProfile)
class AgreementProfileAdmin(admin.ModelAdmin):
    list_display = ("region", "code", "valid_from")
    list_filter = ("region",)


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "region")
    list_filter = ("region",)
    search_fields = ("code", "name")


class WardInline(admin.TabularInline):
    model = Ward
    extra = 0


@admin.register(Hospital)
class HospitalAdmin(admin.ModelAdmin):
    list_display = ("name", "region")
    list_filter = ("region",)
    inlines = [WardInline]


@admin.register(Ward)
class WardAdmin(admin.ModelAdmin):
    list_display = ("name", "hospital", "phone")
    list_filter = ("hospital",)
    search_fields = ("name", "hospital__name")


@admin.register(StaffMember)
class StaffMemberAdmin(admin.ModelAdmin):
    list_display = ("user", "ward", "hospital", "municipality", "region")
    autocomplete_fields = ("ward", "municipality")


@admin.register(FeeTariff)
class FeeTariffAdmin(admin.ModelAdmin):
    list_display = ("year", "dkk_per_day")


@admin.register(Citizen)
class CitizenAdmin(admin.ModelAdmin):
    """Citizens' facts. The list shows the CPR masked; a search needs the whole CPR number."""

    list_display = ("name", "masked_cpr", "municipality", "known_in_eoj", "residence", "terminal")
    list_filter = ("municipality__region", "known_in_eoj", "residence")
    search_fields = ("=cpr", "name")
    autocomplete_fields = ("municipality",)
