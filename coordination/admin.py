"""Admin screens for the reference data. Timelines are not edited here: events are appended through
the services."""

import csv

from django.contrib import admin
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coordination.access import record_citizen_access
from coordination.models import (
    AccessAction,
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

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The citizen's page shows the full CPR: logged like every other look-up (issue 11)."""
        response = super().change_view(request, object_id, form_url, extra_context)
        citizen = (
            getattr(response, "context_data", {}).get("original") if response.status_code == 200 else None
        )
        if citizen is not None:
            record_citizen_access(request, [citizen.pk])
        return response

    def changelist_view(self, request, extra_context=None):
        """The list shows names (and a search by CPR finds one): each citizen shown is logged."""
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            record_citizen_access(request, [citizen.pk for citizen in changelist.result_list])
        return response


@admin.action(description=_("Eksportér valgte som CSV"))
def export_access_log_csv(modeladmin, request, queryset):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="opslagslog-{timezone.localdate():%Y%m%d}.csv"'
    writer = csv.writer(response)
    writer.writerow(["tidspunkt", "bruger", "cpr", "borger", "handling", "side", "visning", "note"])
    rows = queryset.select_related("user", "citizen").order_by("at")
    exported = set()
    for row in rows.iterator():
        if row.citizen_id:
            exported.add(row.citizen_id)
        writer.writerow(
            [
                timezone.localtime(row.at).isoformat(),
                row.user.username if row.user else "",
                row.citizen.cpr if row.citizen else "",
                row.citizen.name if row.citizen else "",
                row.action,
                row.path,
                row.view,
                row.note,
            ]
        )
    # The export holds these citizens' CPR numbers and names: logged as an export, one row per citizen, and
    # one row for the export itself (also when it names no citizen).
    record_citizen_access(request, sorted(exported), action=AccessAction.EXPORT)
    AccessLog.objects.create(
        at=timezone.now(),
        user=request.user,
        action=AccessAction.EXPORT,
        path=request.path[:300],
        view="admin:opslagslog-csv",
        note=f"opslagslog som CSV: {len(exported)} borgere",
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

    def changelist_view(self, request, extra_context=None):
        """The list names the citizens of its rows: each citizen shown is logged (issue 11)."""
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            record_citizen_access(
                request, {row.citizen_id for row in changelist.result_list if row.citizen_id}
            )
        return response

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


from coordination import admin_medcom  # noqa: E402, F401  (the MedCom pages)
