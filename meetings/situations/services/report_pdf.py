"""The concertation report as a PDF (being written)."""


def render_report_pdf(report, *, language: str) -> bytes:
    raise NotImplementedError
