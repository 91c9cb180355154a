"""Reading what a page rendered, for the tests."""

from html.parser import HTMLParser
from urllib.parse import urljoin


def panel(response, template: str) -> dict:
    """The data of the panel rendered by TEMPLATE on a page built from panels (meetings.panels)."""
    shown = [p.data for slot in response.context["panels"].values() for p in slot if p.template == template]
    assert len(shown) == 1, f"{template} shown {len(shown)} times"
    return shown[0]


class _Forms(HTMLParser):
    """The forms of a page: method, action, and the values a browser would send as they stand
    (hidden and text inputs, checked boxes and radios, selected options, textareas)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form = None
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {
                "method": (a.get("method") or "get").lower(),
                "action": a.get("action") or "",
                "fields": [],
                "buttons": [],
            }
            self.forms.append(self._form)
        if self._form is None:
            return
        fields = self._form["fields"]
        if tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in {"checkbox", "radio"}:
                if "checked" in a:
                    fields.append((a["name"], a.get("value", "on")))
            elif kind not in {"submit", "button", "image", "reset", "file"}:
                fields.append((a["name"], a.get("value", "")))
        elif tag == "textarea" and a.get("name"):
            self._textarea = [a["name"], ""]
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            fields.append((self._select, a.get("value", "")))
        elif tag == "button" and (a.get("type") or "submit") == "submit":
            self._form["buttons"].append(a)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None and self._form is not None:
            name, value = self._textarea
            # Browsers drop the newline that follows <textarea>.
            self._form["fields"].append((name, value[1:] if value.startswith("\n") else value))
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._form = None


def main_form(response) -> dict:
    """The one POST form of the page's <main> that has a visible button: what a person taps.
    Its "fields" are (name, value) pairs as the page shows them."""
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    parser = _Forms()
    parser.feed(main)
    forms = [f for f in parser.forms if f["method"] == "post" and f["buttons"]]
    assert len(forms) == 1, f"{len(forms)} POST forms with a button in <main>"
    return forms[0]


def submit(client, response, path: str, **changes):
    """Send the page's form (main_form) as a browser would, from PATH, with CHANGES to its
    fields; returns the answer to the POST."""
    form = main_form(response)
    data: dict[str, list[str]] = {}
    for name, value in form["fields"]:
        data.setdefault(name, []).append(value)
    data |= {name: [value] for name, value in changes.items()}
    return client.post(urljoin(path, form["action"]) if form["action"] else path, data)
