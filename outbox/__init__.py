"""The outbox: every e-mail the application sends, one row each, delivered exactly once.

It imports no app of the project. Apps register how their kinds render (outbox.registry) and
queue messages through outbox.services; worker/tasks.py runs the delivery and the sweeper.
"""
