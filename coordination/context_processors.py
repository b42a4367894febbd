"""The unread count and the link to the figures for the page header, worked out only when a template shows
them."""


def inbox(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count():
        from coordination.views.inbox import _visible

        return _visible(user).filter(read_at__isnull=True).count()

    def figures():
        from coordination.reports.scope import can_see_figures

        return can_see_figures(user)

    # Callables: the template calls them only where it shows them.
    return {"inbox_unread": count, "can_see_figures": figures}
