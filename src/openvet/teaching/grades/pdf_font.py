"""The CJK font the transcript PDF embeds: Noto Sans SC (SIL OFL 1.1), TrueType outlines.

The font file comes from the npm package ``@expo-google-fonts/noto-sans-sc`` (pinned in
``package.json``, installed by ``make install`` into ``node_modules``), never from the host's
fonts, so every server prints the same glyphs. reportlab embeds only the glyphs a PDF uses
(subsets named ``ABCDEF+NotoSansSC-Regular``). Parsing the 10 MB file takes a second or two,
so it happens once per process and the parsed font is kept in memory (ADR 0311).
"""

import logging
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

logger = logging.getLogger(__name__)

FONT_NAME = "NotoSansSC"
PACKAGE = Path("@expo-google-fonts") / "noto-sans-sc"
FILE = Path("400Regular") / "NotoSansSC_400Regular.ttf"


def font_path() -> Path:
    return Path(settings.NODE_MODULES) / PACKAGE / FILE


@cache
def transcript_font() -> TTFont:
    """The font, parsed and registered with reportlab under ``FONT_NAME`` (once per process)."""
    path = font_path()
    if not path.is_file():
        raise ImproperlyConfigured(
            f"The transcript font {path} is missing; `make install` (npm ci) installs it."
        )
    font = TTFont(FONT_NAME, str(path))
    pdfmetrics.registerFont(font)
    return font


def missing_characters(text: str) -> set[str]:
    """Characters of ``text`` the font has no glyph for (they would print as empty boxes)."""
    cmap = transcript_font().face.charToGlyph
    return {char for char in set(text) if not char.isspace() and ord(char) not in cmap}


def warn_if_missing(text: str) -> None:
    """Log the characters the font cannot show, so a rare name is noticed, not printed as a box."""
    missing = missing_characters(text)
    if missing:
        logger.warning("transcript font lacks glyphs for %s", "".join(sorted(missing)))
