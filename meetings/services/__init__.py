"""Writes for meetings: plain functions with keyword-only arguments, called by views, tasks,
commands and the admin alike."""
