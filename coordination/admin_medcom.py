"""The admin's MedCom pages (issue 12): the units that receive for a municipality, the messages received,
and the gateway tokens an administrator issues to a sending organisation (shown once, stored hashed,
revoked, never deleted)."""

from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coordination.models import GatewayToken, MedcomMessage, MedcomUnit
from coordination.services import gateway
from coordination.services.medcom import reason_text


@admin.register(MedcomUnit)
class MedcomUnitAdmin(admin.ModelAdmin):
    list_display = ("name", "sor_code", "ean", "municipality")
    search_fields = ("name", "sor_code")


@admin.register(MedcomMessage)
class MedcomMessageAdmin(admin.ModelAdmin):
    """What came, for the administrator who handles held messages: ids, kind, status and reason only."""

    list_display = ("received_at", "event", "message_id", "sender_name", "status", "why", "received_via")
    list_filter = ("status", "kind")
    fields = list_display + ("reason", "reason_detail", "bundle_id", "sender_sor", "receiver_sor")
    readonly_fields = fields

    @admin.display(description=gettext_lazy("hvorfor"), ordering="reason")
    def why(self, obj):
        """The reason in the administrator's language, its detail's dates as the locale writes them."""
        return reason_text(obj.reason, obj.reason_detail)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(GatewayToken)
class GatewayTokenAdmin(admin.ModelAdmin):
    list_display = ("organisation", "sor_code", "prefix", "created_at", "revoked_at")
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        return ("organisation", "sor_code", "prefix", "created_at", "revoked_at") if obj else ()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            return
        row, token = gateway.issue_token(
            organisation=obj.organisation, sor_code=obj.sor_code, by=request.user
        )
        obj.pk, obj.prefix, obj.token_hash = row.pk, row.prefix, row.token_hash
        obj.created_at, obj.created_by = row.created_at, row.created_by
        messages.warning(
            request,
            _("Nøglen til %(org)s vises kun nu; giv den til gatewayen: %(token)s")
            % {"org": obj.organisation, "token": token},
        )

    @admin.action(description=gettext_lazy("Tilbagekald de valgte nøgler"))
    def revoke(self, request, queryset):
        rows = list(queryset.filter(revoked_at__isnull=True))
        for row in rows:
            gateway.revoke_token(row)
        self.message_user(request, _("%(n)d nøgler tilbagekaldt.") % {"n": len(rows)})
