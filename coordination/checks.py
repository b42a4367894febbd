"""`manage.py check --deploy`: what a deployment of several processes needs (docs/deployment.md)."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.caches, deploy=True)
def board_state_is_shared(app_configs, **kwargs):
    """The boards' generation numbers must be shared by every web process and worker (board_state.py):
    kept in one process's memory, a change recorded by another process reaches a poll only when the clock
    next turns the board (at most CLOCK_BUCKET_SECONDS)."""
    backend = settings.CACHES["board-state"]["BACKEND"]
    if backend.endswith("LocMemCache"):
        return [
            checks.Warning(
                "Tavlernes tilstandstal ligger i processens hukommelse.",
                hint="Sæt REDIS_URL, så alle web-processer og workers deler dem (docs/deployment.md).",
                id="coordination.W001",
            )
        ]
    return []
