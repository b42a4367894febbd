from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinationConfig(AppConfig):
    name = "coordination"
    verbose_name = _("Koordinering")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Register the Celery tasks in every process (web, worker, commands): they are queued by name
        # (coordination.queueing), and eager mode without Redis runs only registered tasks.
        from coordination import tasks  # noqa: F401
