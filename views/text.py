"""Text from a file or a link shown inside Markdown, literally.

Streamlit renders captions, warnings, headings and radio labels as Markdown, with its own
directives (`:red[...]`, `:material/...:`) and automatic links. A commune name, a legal
basis or a value typed into the URL must show as the characters it holds, so every
character that could open a Markdown construct is escaped with a backslash.
"""

from __future__ import annotations

# Characters that open an inline construct anywhere in a line: emphasis, code, links and
# images, HTML, strikethrough, maths, directives and emoji, tables, entities, autolinks.
_INLINE = set("\\`*_{}[]<>()!|~$:&.#")
# Characters that open a block (list, quote, heading rule) only at the start of a line.
_LEADING = set("-+=>")


def literal(text: object) -> str:
    """`text` escaped so that Streamlit's Markdown shows it as is, on one line."""
    s = " ".join(str(text).split())
    out = [f"\\{ch}" if ch in _INLINE else ch for ch in s]
    if out and out[0] in _LEADING:
        out[0] = "\\" + out[0]
    return "".join(out)
