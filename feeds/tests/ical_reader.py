"""A minimal iCalendar reader for tests: unfolds lines and splits components and properties."""

from dataclasses import dataclass, field


@dataclass
class Component:
    name: str
    properties: list[tuple[str, dict[str, str], str]] = field(default_factory=list)
    children: list["Component"] = field(default_factory=list)

    def value(self, name: str) -> str:
        values = [value for prop, _params, value in self.properties if prop == name]
        assert len(values) == 1, f"{name}: {values}"
        return values[0]

    def params(self, name: str) -> dict[str, str]:
        return next(params for prop, params, _value in self.properties if prop == name)

    def text(self, name: str) -> str:
        """A TEXT value with RFC 5545 escapes undone."""
        raw, out, i = self.value(name), [], 0
        while i < len(raw):
            if raw[i] == "\\" and i + 1 < len(raw):
                out.append("\n" if raw[i + 1] in "nN" else raw[i + 1])
                i += 2
            else:
                out.append(raw[i])
                i += 1
        return "".join(out)

    def all(self, name: str) -> list["Component"]:
        return [child for child in self.children if child.name == name]


def unfold(body: bytes) -> list[str]:
    text = body.decode()
    return text.replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")


def read_calendar(body: bytes) -> Component:
    lines = unfold(body)
    assert lines[-1] == "", "the last line must end with CRLF"
    stack: list[Component] = []
    root = None
    for line in lines[:-1]:
        head, _colon, value = line.partition(":")
        name, *raw_params = head.split(";")
        params = dict(param.split("=", 1) for param in raw_params)
        if name == "BEGIN":
            component = Component(value)
            if stack:
                stack[-1].children.append(component)
            stack.append(component)
        elif name == "END":
            assert stack.pop().name == value
        else:
            stack[-1].properties.append((name, params, value))
        if name == "BEGIN" and value == "VCALENDAR":
            root = stack[0]
    assert not stack and root is not None
    return root
