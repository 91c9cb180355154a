"""Reading what a page rendered, for the tests."""


def panel(response, template: str) -> dict:
    """The data of the panel rendered by TEMPLATE on a page built from panels (meetings.panels)."""
    shown = [p.data for slot in response.context["panels"].values() for p in slot if p.template == template]
    assert len(shown) == 1, f"{template} shown {len(shown)} times"
    return shown[0]
