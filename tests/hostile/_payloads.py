"""Text that other programs read as instructions: markdown links and HTML, Mermaid directives,
bidirectional controls, matplotlib math, rich markup. Shared by the tests of this folder and the
fuzz tests."""

from __future__ import annotations

import html
import re

import cmarkgfm

MARKDOWN = [
    "https://evil.example/x?a=1",
    "see www.evil.example now",
    "WWW.evil.example",
    "mail ops@evil.example",
    r"ops\@evil.example",
    "mailto:ops@evil.example",
    "xmpp:ops@evil.example",
    "ftp://evil.example",
    "<img src=x onerror=alert(1)>",
    "<https://evil.example>",
    "[click](https://evil.example)",
    "![i](https://evil.example/i.png)",
    "*em* _em_ **strong** ~~del~~ `code`",
    "a | b | c",
    "&amp; &#64; &lt;",
    "@someone #123",
    "$x^2$",
    "[^1]",
]
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
BIDI = ["\u202eexe.txt", "a\u2066b\u2069c", "\u200e\u200f\u061c", "\u202a\u202b\u202c\u202d"]
MERMAID = [
    "%%{init: {'theme': 'dark'}}%%",
    "100%%{x",
    "start %%{",
    "}%% end",
    'quote " and ` and # and |bar| and \\ and <b>',
    "&amp; #35; #quot;",
    "a :::critical ; [x] (y) {z}",
]
LINK_TAGS = re.compile(r"<(a|img|em|strong|del|code|script|sup|section)\b", re.IGNORECASE)


def gfm_html(markdown: str) -> str:
    """The HTML GitHub's own markdown library makes of ``markdown``."""
    return str(cmarkgfm.github_flavored_markdown_to_html(markdown))


def html_text(rendered: str) -> str:
    """The text a reader sees in rendered HTML: tags dropped, entities decoded, word joiners
    (invisible) removed."""
    return html.unescape(re.sub(r"<[^>]*>", "", rendered)).replace("\u2060", "")
