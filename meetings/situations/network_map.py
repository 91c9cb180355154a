"""The map of the network: the person at the centre, the members around, drawn on the server as
SVG (no script, nothing fetched), with the member list as its text alternative on the page.

Professionals sit on the right half, relatives and other non-professionals on the left, so the
two circles read at a glance; a privileged contact has a thicker line; someone not covered by the
agreement is drawn dashed.
"""

import math

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from meetings.situations.models import Member, MemberKind

# Wider than high, so that labels on the left and right stay inside the drawing.
WIDTH, HEIGHT = 520, 340
CX, CY = WIDTH / 2, HEIGHT / 2
RADIUS = 125
LABEL_LENGTH = 18


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= LABEL_LENGTH else text[: LABEL_LENGTH - 1] + "…"


def _positions(count: int, start: float, end: float) -> list[float]:
    """COUNT angles (radians) spread between START and END."""
    if count == 0:
        return []
    step = (end - start) / count
    return [start + step * (index + 0.5) for index in range(count)]


def _label(member: Member) -> str:
    if member.kind == MemberKind.PROFESSIONAL:
        return member.get_profession_display() if member.profession else member.role or member.display_name
    return member.relation or member.get_kind_display()


def network_svg(situation, members: list[Member], *, covered: set[int]) -> SafeString:
    around = [m for m in members if m.kind != MemberKind.PERSON]
    professionals = [m for m in around if m.kind == MemberKind.PROFESSIONAL]
    others = [m for m in around if m.kind != MemberKind.PROFESSIONAL]
    # Right half for professionals (from top to bottom), left half for the others.
    angles = list(zip(professionals, _positions(len(professionals), -math.pi / 2, math.pi / 2), strict=True))
    angles += list(zip(others, _positions(len(others), math.pi / 2, 3 * math.pi / 2), strict=True))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="network-map-title" class="network-map" id="network-map">',
        f'<title id="network-map-title">{escape(_("Carte du réseau autour de la personne"))}</title>',
    ]
    nodes = []
    for member, angle in angles:
        x = CX + RADIUS * math.cos(angle)
        y = CY + RADIUS * math.sin(angle)
        classes = ["link", member.kind]
        if member.privileged_contact:
            classes.append("privileged")
        if member.pk not in covered:
            classes.append("not-covered")
        parts.append(
            f'<line x1="{CX:.1f}" y1="{CY:.1f}" x2="{x:.1f}" y2="{y:.1f}" class="{" ".join(classes)}"/>'
        )
        anchor = "start" if math.cos(angle) > 0.2 else "end" if math.cos(angle) < -0.2 else "middle"
        dx = 10 if anchor == "start" else -10 if anchor == "end" else 0
        nodes.append(
            f'<g class="node {member.kind}"><circle cx="{x:.1f}" cy="{y:.1f}" r="8"/>'
            f'<text x="{x + dx:.1f}" y="{y - 4:.1f}" text-anchor="{anchor}">'
            f"{escape(_short(member.display_name))}</text>"
            f'<text x="{x + dx:.1f}" y="{y + 12:.1f}" text-anchor="{anchor}" class="role">'
            f"{escape(_short(_label(member)))}</text></g>"
        )
    parts.extend(nodes)
    parts.append(
        f'<g class="node person"><rect x="{CX - 52}" y="{CY - 17}" width="104" height="34" rx="17"/>'
        f'<text x="{CX}" y="{CY + 4}" text-anchor="middle">{escape(_short(situation.code))}</text></g>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text above is escaped
