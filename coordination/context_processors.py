"""The unread count for the page header, counted only when a template shows it."""


def inbox(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count():
        from coordination.views.inbox import _visible

        return _visible(user).filter(read_at__isnull=True).count()

    return {"inbox_unread": count}  # a callable: the template calls it only where it shows the count
