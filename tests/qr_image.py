"""Read back a QR code the app drew: its SVG turned into pixels, then decoded by zxing-cpp (a
real barcode reader, independent of the `qrcode` package that drew it).

The app draws with qrcode's SvgPathImage: one path of squares `Mx,yHx2Vy2Hxz` in module units.
The squares are painted with Pillow; anything else in the path fails loudly rather than being
guessed at, so a change of drawing is noticed here.
"""

from __future__ import annotations

import base64
import re
from xml.etree import ElementTree

import zxingcpp
from PIL import Image, ImageDraw

SVG = "{http://www.w3.org/2000/svg}"
SQUARE = re.compile(r"M([\d.]+),([\d.]+)H([\d.]+)V([\d.]+)H([\d.]+)z")
PIXELS_PER_MODULE = 8


def svg_from_data_uri(uri: str) -> bytes:
    prefix = "data:image/svg+xml;base64,"
    assert uri.startswith(prefix), uri[:40]
    return base64.b64decode(uri[len(prefix) :])


def svg_to_image(svg: bytes) -> Image.Image:
    root = ElementTree.fromstring(svg)
    _x, _y, width, height = (float(v) for v in root.get("viewBox").split())
    scale = PIXELS_PER_MODULE
    image = Image.new("L", (round(width * scale), round(height * scale)), 255)
    draw = ImageDraw.Draw(image)
    paths = root.findall(f"{SVG}path")
    assert paths, "no path in the QR code's SVG"
    for path in paths:
        d = path.get("d")
        squares = SQUARE.findall(d)
        assert squares and SQUARE.sub("", d) == "", f"unexpected SVG path: {d[:80]}"
        for x, y, right, bottom, _back in squares:
            box = [float(x) * scale, float(y) * scale, float(right) * scale, float(bottom) * scale]
            draw.rectangle([box[0], box[1], box[2] - 1, box[3] - 1], fill=0)
    return image


def decode(image: Image.Image) -> list[str]:
    """The texts of every QR code zxing-cpp finds in the image."""
    return [
        result.text
        for result in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    ]


def decode_data_uri(uri: str) -> list[str]:
    return decode(svg_to_image(svg_from_data_uri(uri)))
