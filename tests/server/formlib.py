"""Submit server forms the way a browser would: read a form out of the page HTML (inputs,
checked boxes, selected options, textareas), change some fields, post it."""
from __future__ import annotations

from html.parser import HTMLParser


class _FormParser(HTMLParser):
    def __init__(self, action: str):
        super().__init__(convert_charrefs=True)
        self.action = action
        self.inside = False
        self.found = False
        self.fields: list[list[str]] = []
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._option: dict | None = None
        self._textarea: list | None = None

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        a = dict(attrs)
        if tag == "form" and not self.found and a.get("action") == self.action:
            self.inside = self.found = True
            return
        if not self.inside:
            return
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            name = a.get("name")
            if not name or kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append([name, a.get("value", "on" if kind in ("checkbox", "radio") else "")])
        elif tag == "select":
            self._select, self._select_first, self._select_chosen = a.get("name"), None, False
        elif tag == "option" and self._select:
            self._option = a
            value = a.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in a and not self._select_chosen:
                self._select_chosen = True
                self.fields.append([self._select, value])
        elif tag == "textarea":
            self._textarea = [a.get("name"), ""]

    def handle_data(self, data):  # noqa: ANN001
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):  # noqa: ANN001
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "select" and self._select:
            if not self._select_chosen and self._select_first is not None:
                self.fields.append([self._select, self._select_first])
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            if name:
                self.fields.append([name, text[1:] if text.startswith("\n") else text])
            self._textarea = None


def read_form(html: str, action: str) -> list[list[str]]:
    parser = _FormParser(action)
    parser.feed(html)
    assert parser.found, f"no form with action {action}"
    return parser.fields


def set_field(fields: list[list[str]], name: str, value: str) -> None:
    for item in fields:
        if item[0] == name:
            item[1] = value
            return
    fields.append([name, value])


def get_field(fields: list[list[str]], name: str) -> str | None:
    return next((v for k, v in fields if k == name), None)


def drop_field(fields: list[list[str]], name: str) -> None:
    fields[:] = [f for f in fields if f[0] != name]


def post_form(client, page_path: str, action: str, changes: dict[str, str] | None = None,
              drop: tuple[str, ...] = (), **kwargs):
    page = client.get(page_path)
    assert page.status_code == 200, page.text[:300]
    fields = read_form(page.text, action)
    for name in drop:
        drop_field(fields, name)
    for name, value in (changes or {}).items():
        set_field(fields, name, value)
    return client.post(action, data=_multidict(fields), follow_redirects=False, **kwargs)


def _multidict(fields: list[list[str]]) -> dict[str, list[str] | str]:
    out: dict[str, list[str]] = {}
    for name, value in fields:
        out.setdefault(name, []).append(value)
    return {k: (v if len(v) > 1 else v[0]) for k, v in out.items()}
