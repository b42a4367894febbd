"""`{% forloeb_section %}`: the admission page's forløbskoordination section (views/forloeb.py)."""

from django import template

register = template.Library()


@register.inclusion_tag("coordination/_forloeb.html", takes_context=True)
def forloeb_section(context):
    from coordination.views.forloeb import forloeb_panel

    request, admission = context["request"], context["admission"]
    panel = forloeb_panel(request, admission, failed=context.get("forloeb_failed"))
    return {**panel, "admission": admission, "request": request, "csrf_token": context.get("csrf_token")}
