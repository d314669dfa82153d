"""The project's own images and icons (static/images) are linked from every page and served."""

import re
from xml.etree import ElementTree

import pytest
from django.contrib.staticfiles import finders


@pytest.mark.django_db
def test_every_page_links_the_councils_icons_and_each_is_found(client, social_worker):
    client.force_login(social_worker)
    page = client.get("/referrals/how-referrals-work/").content.decode()
    links = re.findall(r'<link rel="(?:icon|apple-touch-icon)" href="/static/([^"]+)"', page)
    assert sorted(links) == ["images/apple-touch-icon.png", "images/favicon.ico", "images/favicon.svg"]
    for path in links:
        assert finders.find(path), path


def test_the_svg_icon_is_well_formed_and_labelled():
    svg = ElementTree.parse(finders.find("images/favicon.svg")).getroot()
    assert svg.get("viewBox") == "0 0 32 32" and svg.get("aria-label") == "Riverside Borough Council"
