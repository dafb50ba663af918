from .items import represent_page

__all__ = ["represent_page"]
