"""Background tasks the lessons' Django examples queue (`from .tasks import run_export`).

They stand in for Celery tasks: `.delay()` records the call instead of sending it to a broker.
"""


class Task:
    def __init__(self, name: str):
        self.name = name
        self.queued: list[tuple] = []

    def delay(self, *args) -> None:
        self.queued.append(args)


run_export = Task("run_export")
process_event = Task("process_event")
