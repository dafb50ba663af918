from .pages import CommunityHomePage, PlacedPage, StreetHomePage
from .snippets import (
    HoursException,
    OpeningHours,
    Organisation,
    ResidentCategory,
    ServicePoint,
    Weekday,
)

__all__ = [
    "CommunityHomePage",
    "HoursException",
    "OpeningHours",
    "Organisation",
    "PlacedPage",
    "ResidentCategory",
    "ServicePoint",
    "StreetHomePage",
    "Weekday",
]
