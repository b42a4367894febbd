"""Admin screens for the reference data. Timelines are not edited here: events are appended through
the services."""

import csv

from django.contrib import admin
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coordination.models import (
    AccessLog,
    Admission,
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
    """Citizens' facts, for the people taking part in their course only (the one access queryset): an
    administrator outside the course sees none. The list shows the CPR masked; a search needs the whole
    CPR."""

    # The facts the rules read are not here: they are on each admission's timeline (citizen_changed).
    list_display = ("name", "masked_cpr", "municipality")
    search_fields = ("=cpr", "name")
    autocomplete_fields = ("municipality",)

    def get_queryset(self, request):
        visible = Admission.objects.visible_to(request.user).values("citizen_id")
        return super().get_queryset(request).filter(pk__in=visible)


@admin.action(description=_("Eksportér valgte som CSV"))
def export_access_log_csv(modeladmin, request, queryset):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="opslagslog-{timezone.localdate():%Y%m%d}.csv"'
    writer = csv.writer(response)
    writer.writerow(["tidspunkt", "bruger", "cpr", "borger", "handling", "side", "visning", "note"])
    rows = queryset.select_related("user", "citizen").order_by("at")
    for row in rows.iterator():
        writer.writerow(
            [
                timezone.localtime(row.at).isoformat(),
                row.user.username,
                row.citizen.cpr if row.citizen else "",
                row.citizen.name if row.citizen else "",
                row.action,
                row.path,
                row.view,
                row.note,
            ]
        )
    return response


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """The access log for administrators and auditors: search by the citizen's whole CPR number or by user,
    export as CSV. Rows are never added, changed or deleted here."""

    list_display = ("at", "user", "citizen", "action", "path")
    list_filter = ("action", ("at", admin.DateFieldListFilter))
    search_fields = ("=citizen__cpr", "=user__username")
    search_help_text = _("Søg på borgerens fulde CPR-nummer eller på et brugernavn")
    date_hierarchy = "at"
    actions = [export_access_log_csv]
    list_select_related = ("user", "citizen")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
