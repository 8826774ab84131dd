"""The signed-in browsers list names a User-Agent in the words people use for their phone."""

import pytest

from accounts.sessions import Device, device_summary

AGENTS = {
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Version/17.5 Mobile/15E148 Safari/604.1": Device("iPhone", "Safari"),
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1": Device("iPhone", "Chrome"),
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Mobile/15E148 Safari Line/14.9.0": Device("iPhone", "LINE"),
    "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Mobile/15E148 Safari/604.1": Device("iPad", "Safari"),
    "Mozilla/5.0 (Linux; Android 14; SO-51D) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Mobile Safari/537.36": Device("Android", "Chrome"),
    "Mozilla/5.0 (Linux; Android 13; SAMSUNG SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) "
    "SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36": Device(
        "Android", "Samsung Internet"
    ),
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0": Device("Windows", "Edge"),
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Safari/605.1.15": Device("Mac", "Safari"),
    "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0": Device(
        "Linux", "Firefox"
    ),
}


@pytest.mark.parametrize(("agent", "expected"), AGENTS.items())
def test_known_browsers_in_plain_words(agent, expected):
    assert device_summary(agent) == expected


@pytest.mark.parametrize("agent", ["", "curl/8.0", "x" * 5000, "<script>alert(1)</script>"])
def test_anything_else_is_short_and_may_be_unknown(agent):
    found = device_summary(agent)
    assert len(found.device) <= 60
    assert len(found.browser) <= 60
    assert found.device == ""
