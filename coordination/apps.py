from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinationConfig(AppConfig):
    name = "coordination"
    verbose_name = _("Koordinering")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Register the Celery tasks in every process (web, worker, commands): they are queued by name
        # (coordination.queueing), and eager mode without Redis runs only registered tasks.
        from django.contrib.auth.signals import user_logged_in

        from coordination import board_state, checks, drafts, tasks  # noqa: F401

        board_state.connect()  # what a board shows changed: its polls answer 200 again (issue 15)

        # A form's text kept when a session ended goes back only to the person who typed it (issue 14).
        user_logged_in.connect(drafts.forget_others, dispatch_uid="coordination.drafts.forget_others")
