from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware
from django.http import HttpResponse
from django.shortcuts import resolve_url


class LoginRequiredMiddleware(DjangoLoginRequiredMiddleware):
    """Every URL needs a login (CONTRACTS.md); an htmx request is told to redirect the whole page."""

    def handle_no_permission(self, request, view_func):
        if getattr(request, "htmx", False):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = f"{resolve_url(self.get_login_url(view_func))}?next={request.path}"
            return response
        return super().handle_no_permission(request, view_func)
