from django.apps import AppConfig


class WorkerConfig(AppConfig):
    name = "worker"

    def ready(self):
        # The tasks are known by name in every process, so that apps dispatch them without
        # importing the worker (the outbox sends "meetings.send_email" this way).
        from worker import tasks  # noqa: F401
