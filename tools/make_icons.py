"""Draw the product's icon: static/icons/favicon.svg and the PNG touch and app icons.

    .venv/bin/python tools/make_icons.py

One drawing, written twice: as SVG for browsers that take it, and with Pillow (installed with
matplotlib) as PNG at 180 (apple-touch-icon), 192 and 512 px (the web app manifest), and a
maskable 512 px one whose drawing keeps inside the safe zone (MASKABLE_SHAPES). The icon is
a diary page on the clinic blue of the charts (Okabe–Ito), with a pain line that comes down: a
symptom diary after an injection. Run it again after changing a shape; the output is the same
for the same drawing.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parents[1] / "static" / "icons"
GRID = 64  # the drawing's units; the SVG's viewBox
BLUE, NAVY, PAPER, LINE, RULE = "#0072B2", "#0B3D63", "#FFFFFF", "#D55E00", "#9EC9E2"

# (kind, geometry in GRID units, colour): rounded rectangles (x0, y0, x1, y1, radius), lines
# (points, width) and dots (cx, cy, r), drawn in this order.
SHAPES = [
    ("rect", (0, 0, 64, 64, 14), BLUE),
    ("rect", (14, 13, 50, 54, 5), PAPER),
    ("line", ([(20, 24), (44, 24)], 2.5), RULE),
    ("line", ([(20, 44), (44, 44)], 2.5), RULE),
    ("line", ([(20, 28), (28, 33), (35, 36), (43, 42)], 4.5), LINE),
    ("dot", (43, 42, 3.6), LINE),
    ("rect", (21, 8, 26, 19, 2.5), NAVY),
    ("rect", (38, 8, 43, 19, 2.5), NAVY),
]


def svg() -> str:
    parts = []
    for kind, geometry, colour in SHAPES:
        if kind == "rect":
            x0, y0, x1, y1, r = geometry
            parts.append(
                f'<rect x="{x0}" y="{y0}" width="{x1 - x0}" height="{y1 - y0}" rx="{r}" '
                f'fill="{colour}"/>'
            )
        elif kind == "line":
            points, width = geometry
            path = " ".join(f"{x},{y}" for x, y in points)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" '
                f'stroke-width="{width}" stroke-linecap="round" stroke-linejoin="round"/>'
            )
        else:
            cx, cy, r = geometry
            parts.append(f'<circle cx="{cx}" cy="{cy}" r="{r}" fill="{colour}"/>')
    body = "\n  ".join(parts)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {GRID} {GRID}" '
        f'width="{GRID}" height="{GRID}">\n  {body}\n</svg>\n'
    )


# The maskable icon (issue 20): the phone cuts it to its own shape (circle, squircle …) and
# keeps only the circle of 40 % of the width around the centre for sure. So: the blue fills the
# whole square, and the page is drawn MASKABLE_SCALE as large, centred, well inside that circle.
MASKABLE_SCALE = 0.8
SAFE_RADIUS = 0.4 * GRID


def _maskable_shapes() -> list:
    """SHAPES with a square blue background and everything else shrunk about the centre."""
    shapes = [("rect", (0, 0, GRID, GRID, 0), BLUE)]
    # The drawing's own centre (the page with its rings), moved to the icon's centre.
    cx, cy = 32, 31

    def at(x, y):
        return (GRID / 2 + (x - cx) * MASKABLE_SCALE, GRID / 2 + (y - cy) * MASKABLE_SCALE)

    for kind, geometry, colour in SHAPES[1:]:
        if kind == "rect":
            x0, y0, x1, y1, r = geometry
            shapes.append(("rect", (*at(x0, y0), *at(x1, y1), r * MASKABLE_SCALE), colour))
        elif kind == "line":
            points, width = geometry
            shapes.append(("line", ([at(x, y) for x, y in points], width * MASKABLE_SCALE), colour))
        else:
            x, y, r = geometry
            shapes.append(("dot", (*at(x, y), r * MASKABLE_SCALE), colour))
    return shapes


MASKABLE_SHAPES = _maskable_shapes()


def png(size: int, shapes: list = SHAPES) -> Image.Image:
    """The same shapes with Pillow, drawn 4× larger and scaled down for smooth edges."""
    scale = size * 4 / GRID
    image = Image.new("RGBA", (size * 4, size * 4), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    for kind, geometry, colour in shapes:
        if kind == "rect":
            x0, y0, x1, y1, r = (value * scale for value in geometry)
            draw.rounded_rectangle((x0, y0, x1, y1), radius=r, fill=colour)
        elif kind == "line":
            points, width = geometry
            scaled = [(x * scale, y * scale) for x, y in points]
            draw.line(scaled, fill=colour, width=round(width * scale), joint="curve")
            radius = width * scale / 2  # round caps, as in the SVG
            for x, y in (scaled[0], scaled[-1]):
                draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=colour)
        else:
            cx, cy, r = (value * scale for value in geometry)
            draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=colour)
    return image.resize((size, size), Image.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "favicon.svg").write_text(svg(), encoding="utf-8")
    for name, size in (("apple-touch-icon.png", 180), ("icon-192.png", 192), ("icon-512.png", 512)):
        image = png(size)
        if name == "apple-touch-icon.png":  # iOS draws transparency black: a solid square
            solid = Image.new("RGB", image.size, BLUE)
            solid.paste(image, mask=image.getchannel("A"))
            image = solid
        image.save(OUT / name, optimize=True)
    png(512, MASKABLE_SHAPES).convert("RGB").save(OUT / "icon-maskable-512.png", optimize=True)


if __name__ == "__main__":
    main()
