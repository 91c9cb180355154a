"""The e-mails of « Vis ma vie », all through the outbox, one module per moment:

- agreement.py: the applicant's manager is asked to confirm that their service agrees;
- placement.py: the visitor is told their visit is confirmed and asked to accept the host's
  confidentiality undertaking (the meeting's own invitation goes to both, from the core);
- feedback.py: both sides are asked for their feedback 2 days after the visit, and once more a
  week later if they have not written it.

Like every e-mail they carry no case material, and their links open pages that change nothing on
GET. Each module has KINDS (TextChoices) and render(message, cache), registered in apps.py.
"""
