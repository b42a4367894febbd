"""The unread count and the link to the figures for the page header, worked out only when a template shows
them."""


def inbox(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count():
        from coordination.views.inbox import unread_count

        return unread_count(user)

    def figures():
        from coordination.reports.scope import can_see_figures

        return can_see_figures(user)

    def courses():
        # R-FK: "Mine forløb" for the people of a ward, a hospital or a municipality who take part in courses.
        staff = getattr(user, "staff", None)
        return bool(staff is not None and not staff.region_id and user.has_perm("coordination.add_event"))

    # Callables: the template calls them only where it shows them.
    return {"inbox_unread": count, "can_see_figures": figures, "takes_part_in_courses": courses}
