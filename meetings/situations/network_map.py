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

# Drawn at about the width of a phone's screen, so that its text is read there at about its own
# size; the height grows with the longer side. Text sizes are set here, not in the stylesheet,
# because labels are shortened to the room they have beside their node.
WIDTH = 440
CX = WIDTH / 2
RX = 64  # how far from the centre the nodes sit, across
ROW = 40  # from one node to the next, down: two lines of text each
MARGIN = 24
EDGE = 4  # kept free at the left and right ends
NAME_SIZE, ROLE_SIZE, CODE_SIZE = 14, 13, 13
CODE_ROOM = 92  # inside the person's pill

# Rough advance widths, in ems, of a wide sans-serif font (DejaVu Sans): an estimate on the safe
# side, so that a label ends before the edge of the drawing rather than being cut by it.
_NARROW, _WIDE = set(" .,;:'’·-/()ijlfItr!|"), set("mwMW@")


def _em_width(text: str) -> float:
    return sum(0.34 if c in _NARROW else 1.0 if c in _WIDE else 0.76 if c.isupper() else 0.64 for c in text)


def _fit(text: str, room: float, size: float) -> str:
    """TEXT on one line, shortened with an ellipsis to what fits in ROOM units at SIZE."""
    text = " ".join(text.split())
    if _em_width(text) * size <= room:
        return text
    while text and (_em_width(text) + 1) * size > room:
        text = text[:-1]
    return text.rstrip() + "…"


def _offsets(count: int, rows: int) -> list[tuple[float, float]]:
    """(across, down) offsets from the centre for COUNT nodes one under the other, on a half
    ellipse as tall as ROWS rows: evenly spaced, so that their labels never overlap."""
    half = rows * ROW / 2 + ROW / 2
    places = []
    for index in range(count):
        down = (index - (count - 1) / 2) * ROW
        places.append((RX * math.sqrt(1 - (down / half) ** 2), down))
    return places


def _label(member: Member) -> str:
    if member.kind == MemberKind.PROFESSIONAL:
        return member.get_profession_display() if member.profession else member.role or member.display_name
    return member.relation or member.get_kind_display()


def network_svg(situation, members: list[Member], *, covered: set[int]) -> SafeString:
    around = [m for m in members if m.kind != MemberKind.PERSON]
    professionals = [m for m in around if m.kind == MemberKind.PROFESSIONAL]
    others = [m for m in around if m.kind != MemberKind.PROFESSIONAL]
    rows = max(len(professionals), len(others), 1)
    height = rows * ROW + 2 * MARGIN
    cy = height / 2
    # Right half for professionals (from top to bottom), left half for the others.
    places = []
    for side, group in ((1, professionals), (-1, others)):
        for member, (across, down) in zip(group, _offsets(len(group), rows), strict=True):
            places.append((member, CX + side * across, cy + down))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:g}" role="img" '
        f'aria-labelledby="network-map-title" class="network-map" id="network-map">',
        f'<title id="network-map-title">{escape(_("Carte du réseau autour de la personne"))}</title>',
    ]
    nodes = []
    for member, x, y in places:
        classes = ["link", member.kind]
        if member.privileged_contact:
            classes.append("privileged")
        if member.pk not in covered:
            classes.append("not-covered")
        parts.append(
            f'<line x1="{CX:.1f}" y1="{cy:.1f}" x2="{x:.1f}" y2="{y:.1f}" class="{" ".join(classes)}"/>'
        )
        right = x > CX
        anchor, tx = ("start", x + 12) if right else ("end", x - 12)
        at = f'x="{tx:.1f}" text-anchor="{anchor}"'
        room = (WIDTH - EDGE - tx) if right else (tx - EDGE)
        nodes.append(
            f'<g class="node {member.kind}"><circle cx="{x:.1f}" cy="{y:.1f}" r="7"/>'
            f'<text {at} y="{y - 3:.1f}" font-size="{NAME_SIZE}">'
            f"{escape(_fit(member.display_name, room, NAME_SIZE))}</text>"
            f'<text {at} y="{y + 13:.1f}" font-size="{ROLE_SIZE}" class="role">'
            f"{escape(_fit(_label(member), room, ROLE_SIZE))}</text></g>"
        )
    parts.extend(nodes)
    code = escape(_fit(situation.code, CODE_ROOM, CODE_SIZE))
    parts.append(
        f'<g class="node person"><rect x="{CX - 50:g}" y="{cy - 15:g}" width="100" height="30" rx="15"/>'
        f'<text x="{CX:g}" y="{cy + 5:g}" text-anchor="middle" font-size="{CODE_SIZE}">{code}</text></g>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text above is escaped
