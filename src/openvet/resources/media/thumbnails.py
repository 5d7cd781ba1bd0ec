"""Thumbnails: a JPEG at most 480×270 of an image, of a PDF's first page (rendered by PDFium),
or, for a video, a poster drawn here with its duration (decoding H.264 needs a codec the
platform does not ship, ADR 0530)."""

import io
import warnings
from functools import cache
from pathlib import Path

import pypdfium2 as pdfium
from django.conf import settings
from django.utils.translation import gettext_noop
from PIL import Image, ImageDraw, ImageFont, UnidentifiedImageError

BOX = (480, 270)
# Pillow refuses an image of more pixels than this (a decompression bomb) instead of decoding it.
MAX_PIXELS = 80_000_000
FONT_FILE = Path("@expo-google-fonts") / "noto-sans-sc" / "400Regular" / "NotoSansSC_400Regular.ttf"


class NoThumbnail(Exception):
    """The file cannot be read as what it says it is; ``reason`` is a message id."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _jpeg(image: Image.Image) -> bytes:
    image = image.convert("RGB")
    image.thumbnail(BOX)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=82, optimize=True)
    return out.getvalue()


def of_image(data: bytes) -> tuple[bytes, int, int]:
    """The thumbnail of an image, with the image's own width and height."""
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                return _jpeg(image), image.width, image.height
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Warning) as exc:
        raise NoThumbnail(gettext_noop("The image is damaged and cannot be shown.")) from exc
    except Image.DecompressionBombError as exc:
        raise NoThumbnail(gettext_noop("The image is too large to be shown.")) from exc


def of_pdf(data: bytes) -> bytes:
    """The thumbnail of a PDF's first page."""
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise NoThumbnail(gettext_noop("The PDF is damaged and cannot be shown.")) from exc
    try:
        if len(document) == 0:
            raise NoThumbnail(gettext_noop("The PDF has no pages."))
        page = document[0]
        width, height = page.get_size()
        scale = min(BOX[0] / width, BOX[1] / height) * 2 if width and height else 1
        bitmap = page.render(scale=max(0.05, min(scale, 4)))
        image = bitmap.to_pil()
        return _jpeg(image)
    except pdfium.PdfiumError as exc:
        raise NoThumbnail(gettext_noop("The PDF is damaged and cannot be shown.")) from exc
    finally:
        document.close()


@cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = Path(settings.NODE_MODULES) / FONT_FILE
    if path.is_file():
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)


def clock(seconds: float) -> str:
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def video_poster(title: str, seconds: float) -> bytes:
    """A poster for a video: its title, a play sign and its duration on a dark ground."""
    image = Image.new("RGB", BOX, (33, 37, 41))
    draw = ImageDraw.Draw(image)
    cx, cy = BOX[0] // 2, BOX[1] // 2 - 10
    draw.ellipse((cx - 36, cy - 36, cx + 36, cy + 36), outline=(255, 255, 255), width=4)
    draw.polygon([(cx - 12, cy - 20), (cx - 12, cy + 20), (cx + 22, cy)], fill=(255, 255, 255))
    text = title if len(title) <= 20 else title[:19] + "…"
    draw.text((16, 14), text, fill=(255, 255, 255), font=_font(22))
    label = clock(seconds)
    font = _font(20)
    left, top, right, bottom = draw.textbbox((0, 0), label, font=font)
    x, y = BOX[0] - (right - left) - 24, BOX[1] - (bottom - top) - 22
    draw.rectangle((x - 8, y - 4, BOX[0] - 16, BOX[1] - 12), fill=(0, 0, 0))
    draw.text((x - left, y - top), label, fill=(255, 255, 255), font=font)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()
