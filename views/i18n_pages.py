"""Words of the domain pages, in Vietnamese and English (see views/i18n.py)."""

from __future__ import annotations

PAGE_STRINGS: dict[str, tuple[str, str]] = {}
