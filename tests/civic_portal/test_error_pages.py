import re

from django.test import RequestFactory
from django.views.defaults import server_error


def test_a_bookmarked_tracking_url_shows_the_tracking_form_with_its_reference(db, client) -> None:
    response = client.get("/tra-cuu/KN-2026-000123/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert 'href="/"' in html
    form = re.search(r'<form method="post" action="/tra-cuu/".*?</form>', html, re.S)
    assert form, html
    assert 'name="reference"' in form.group(0)
    assert 'value="KN-2026-000123"' in form.group(0)
    assert 'name="code"' in form.group(0)
    assert 'name="csrfmiddlewaretoken"' in form.group(0)
    assert "style=" not in html
    assert "<script>" not in html


def test_another_missing_page_links_home_without_the_tracking_form(db, client) -> None:
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    html = response.content.decode()
    assert 'class="navbar' in html
    assert 'href="/"' in html
    assert 'value="KN-' not in html


def test_the_server_error_page_extends_the_base_and_links_home() -> None:
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert 'class="navbar' in html
    assert 'href="/"' in html
    assert "<h1>Server Error (500)</h1>" not in html
