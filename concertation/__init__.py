# Load the Celery app with Django so that @shared_task and transaction.on_commit dispatch use it.
from worker.celery import app as celery_app

__all__ = ["celery_app"]
