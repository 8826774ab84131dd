"""The diary on the phone's home screen (issue 20, item 1): the web app manifest in the
user's language, and the icons it names, served at their sizes."""

from __future__ import annotations

import io
import json
import math
import urllib.request
from pathlib import Path

import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]


def manifest(client, path="/manifest.webmanifest") -> dict:
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    return json.loads(response.content.decode("utf-8"))


@pytest.mark.django_db
def test_the_manifest_is_japanese_by_default(client):
    data = manifest(client)
    assert data["name"] == "注射後の症状日記"
    assert data["short_name"] == "症状日記"
    assert data["lang"] == "ja"
    assert data["start_url"] == "/diary/"
    assert data["scope"] == "/"
    assert data["display"] == "standalone"
    assert data["theme_color"].startswith("#") and data["background_color"].startswith("#")


@pytest.mark.django_db
def test_the_manifest_follows_the_language_of_the_link_and_of_the_user(client, patient):
    assert manifest(client, "/manifest.webmanifest?lang=en")["name"] == "Injection diary"
    assert manifest(client, "/manifest.webmanifest?lang=xx")["lang"] == "ja"
    patient.language = "en"
    patient.save(update_fields=["language"])
    client.force_login(patient)
    data = manifest(client)
    assert (data["lang"], data["short_name"]) == ("en", "Diary")
    # The page links the manifest in its own language.
    html = client.get("/diary/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest?lang=en">' in html
    assert data == manifest(client, "/manifest.webmanifest?lang=en")


@pytest.mark.django_db
def test_every_page_links_the_manifest_view_not_a_static_file(patient_client):
    from django.test import Client

    html = Client().get("/accounts/login/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest?lang=ja">' in html
    html = patient_client.get("/diary/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest?lang=ja">' in html
    assert "site.webmanifest" not in html
    assert not (ROOT / "static" / "icons" / "site.webmanifest").exists()


@pytest.mark.django_db
def test_the_manifest_has_icons_of_192_512_and_a_maskable_512(client):
    icons = manifest(client)["icons"]
    assert {(icon["sizes"], icon["purpose"]) for icon in icons} >= {
        ("192x192", "any"),
        ("512x512", "any"),
        ("512x512", "maskable"),
    }


def test_every_icon_of_the_manifest_is_served_at_its_size(live_server):
    with urllib.request.urlopen(f"{live_server.url}/manifest.webmanifest") as response:
        data = json.load(response)
    for icon in data["icons"]:
        with urllib.request.urlopen(live_server.url + icon["src"]) as response:
            assert response.status == 200
            assert response.headers["Content-Type"] == "image/png"
            image = Image.open(io.BytesIO(response.read()))
        width, height = (int(n) for n in icon["sizes"].split("x"))
        assert image.size == (width, height), icon["src"]
    with urllib.request.urlopen(f"{live_server.url}/static/icons/apple-touch-icon.png") as response:
        assert Image.open(io.BytesIO(response.read())).size == (180, 180)


def test_the_maskable_icon_fills_its_square_and_keeps_the_drawing_in_the_safe_zone():
    """A phone cuts the icon to its own shape and keeps at least the circle of 40 % radius:
    the corners are the product's blue, and nothing but blue lies outside that circle."""
    image = Image.open(ROOT / "static" / "icons" / "icon-maskable-512.png").convert("RGB")
    size = image.width
    blue = image.getpixel((0, 0))
    assert blue == (0x00, 0x72, 0xB2)
    for corner in ((size - 1, 0), (0, size - 1), (size - 1, size - 1)):
        assert image.getpixel(corner) == blue
    radius = 0.4 * size
    pixels = image.load()
    drawn_outside = [
        (x, y)
        for y in range(0, size, 4)
        for x in range(0, size, 4)
        if math.hypot(x - size / 2, y - size / 2) > radius and pixels[x, y] != blue
    ]
    assert drawn_outside == []
    # And the drawing is there: white paper at the centre.
    assert pixels[size // 2, size // 2] == (255, 255, 255)


def test_the_maskable_icon_is_the_drawing_of_tools_make_icons():
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_icons", ROOT / "tools" / "make_icons.py")
    make_icons = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_icons)
    drawn = make_icons.png(512, make_icons.MASKABLE_SHAPES).convert("RGB")
    stored = Image.open(ROOT / "static" / "icons" / "icon-maskable-512.png").convert("RGB")
    assert drawn.tobytes() == stored.tobytes()
