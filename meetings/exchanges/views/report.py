"""Stub: written with its part of the app."""

urlpatterns: list = []
