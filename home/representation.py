"""How the street office's shared records appear inside items and the directory."""

from core.representation import shared


def categories_repr(categories, localise) -> list[dict]:
    return [{"code": c.code, "name": localise(c).name} for c in categories]


def organisation_repr(org, localise) -> dict | None:
    if org is None:
        return None
    org = localise(org)
    return {
        "id": org.pk,
        "name": org.name,
        "kind": org.kind,
        "phone": org.phone,
        "address": org.address,
    }


def _clock(value) -> str | None:
    return value.strftime("%H:%M") if value else None


def _hours(point) -> dict:
    # The same in every locale, and for every page at the same point.
    return {
        "hours": [
            {
                "days": sorted(int(day) for day in hours.days),
                "opens": _clock(hours.opens),
                "closes": _clock(hours.closes),
            }
            for hours in point.opening_hours.all()
        ],
        "exceptions": [
            {
                "date": exception.date.isoformat(),
                "closed": exception.closed,
                "opens": _clock(exception.opens),
                "closes": _clock(exception.closes),
                "note": exception.note,
            }
            for exception in point.hours_exceptions.all()
        ],
    }


def point_repr(point, localise) -> dict | None:
    if point is None:
        return None
    shown = localise(point)
    return {
        "id": point.pk,
        "name": shown.name,
        "address": shown.address,
        "latitude": float(point.latitude) if point.latitude is not None else None,
        "longitude": float(point.longitude) if point.longitude is not None else None,
        "phone": point.phone,
        "accessibility_notes": shown.accessibility_notes,
        **shared(point, "hours", lambda: _hours(point)),
    }
