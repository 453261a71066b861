"""Reading a page's forms in tests: what a browser would post."""

from __future__ import annotations

from html.parser import HTMLParser


class FormReader(HTMLParser):
    """A valid-looking body from a page's forms: the values shown, the first choice of
    every list, and plausible text, dates and numbers where the field is empty."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        name = a.get("name", "")
        if tag == "input" and name and a.get("type") not in ("submit", "file", "hidden-x"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                self.values.setdefault(name, "")
                return
            value = a.get("value", "")
            if not value:
                value = {
                    "date": "2023-01-15",
                    "number": "50",
                    "datetime-local": "2023-01-15T10:00",
                }.get(kind, "texte")
            self.values[name] = value
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select:
            if a.get("value") and (not self.values.get(self._select) or "selected" in a):
                self.values[self._select] = a["value"]
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            if self._textarea and not self.values.get(self._textarea):
                self.values[self._textarea] = "نص"
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.values[self._textarea] += data
