"""The HR login page is the HR workspace's own, and says why a person landed on it."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_redirect_to_login_says_to_log_in_under_the_workspaces_name(client):
    response = client.get(reverse("hr:job_list"), follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0].startswith(reverse("login") + "?next=")
    assert 'id="login-required"' in page and "请先登录" in page
    brand = page.split('class="navbar-brand')[1].split("</a>")[0]
    assert "HR 工作台" in brand and "客服招聘" not in brand
    assert "访问日志" in page  # the workspace's footer, not the candidate site's


def test_the_login_page_opened_directly_has_no_redirect_message(client):
    page = client.get(reverse("login")).content.decode()
    assert 'id="login-required"' not in page


def test_candidate_pages_keep_the_sites_own_name_and_a_privacy_link(client):
    page = client.get(reverse("careers")).content.decode()
    brand = page.split('class="navbar-brand')[1].split("</a>")[0]
    assert "客服招聘" in brand
    footer = page.split("<footer")[1]
    assert reverse("privacy") in footer and "CDN" not in footer


def test_the_redirect_message_in_english(client):
    client.cookies["django_language"] = "en"
    page = client.get(reverse("hr:job_list"), follow=True, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Please log in" in page
