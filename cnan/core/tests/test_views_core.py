"""Core pages: home, audit log (filters, detail), object history, notifications, jobs, menus, error pages."""

from __future__ import annotations

import datetime as dt
import re
import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

import pytest

from cnan.core import audit, services
from cnan.core.models import Notification, ObjectChange
from cnan.core.testing import changes_for, database_state, login
from cnan.core.views import pages
from cnan.organizations import services as org_services
from cnan.organizations.models import Facility

AUDIT = reverse("core:objectchange_list")
NOTIFICATIONS = reverse("core:notification_list")


def _client(user=None) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return login(client, user) if user is not None else client


@pytest.fixture
def auditor(world, make_user):
    return make_user("auditor", world.bca, username="kiem.toan")


# --- home -----------------------------------------------------------------------------------------------


def test_home_shows_the_registry_widget_to_those_who_may_see_the_registry(world, ent_a_officer, make_user):
    html = _client(ent_a_officer).get(reverse("core:home")).content.decode()
    assert 'id="registry-widget"' in html
    assert "You have no role yet" not in html
    bare = _client(make_user(None)).get(reverse("core:home")).content.decode()
    assert 'id="registry-widget"' not in bare
    assert "You have no role yet, so there is nothing to show." in bare


def test_home_widget_counts_only_what_the_user_may_see(world, ent_a_officer, officer):
    def kinds(user):
        html = _client(user).get(reverse("core:home")).content.decode()
        return dict(re.findall(r'\?kind=(\w+)">[^<]+</a></td><td class="text-end">(\d+)</td>', html))

    assert kinds(ent_a_officer) == {"enterprise": "1"}
    assert kinds(officer) == {
        "enterprise": "2",
        "ministry": "1",
        "department": "1",
        "institute": "1",
        "group": "1",
        "partner": "1",
    }


def test_home_lists_ones_own_latest_notifications_and_jobs(world, ent_a_officer, officer):
    for i in range(7):
        services.notification_send(recipient=ent_a_officer, title=f"Tin số {i}")
    services.notification_send(recipient=officer, title="Tin của người khác")
    services.job_create(owner=ent_a_officer, kind="export", title="Xuất của tôi", params={})
    services.job_create(owner=officer, kind="export", title="Xuất của người khác", params={})
    html = _client(ent_a_officer).get(reverse("core:home")).content.decode()
    assert re.findall(r"Tin số \d", html) == [f"Tin số {i}" for i in (6, 5, 4, 3, 2)]
    assert "Tin của người khác" not in html
    assert "Xuất của tôi" in html and "Xuất của người khác" not in html


def test_menu_shows_only_what_the_user_may_open(world, ent_a_officer, auditor):
    officer_menu = _client(ent_a_officer).get(reverse("core:home")).content.decode()
    auditor_menu = _client(auditor).get(reverse("core:home")).content.decode()
    for url in (AUDIT, reverse("accounts:user_list")):
        assert f'href="{url}"' not in officer_menu
        assert f'href="{url}"' in auditor_menu
    assert f'href="{reverse("organizations:facility_list")}"' in officer_menu


# --- audit log --------------------------------------------------------------------------------------------


def _change(instance, *, actor, action="update", when=None, request_id=None) -> ObjectChange:
    return ObjectChange.objects.create(
        time=when or timezone.now(),
        actor=actor,
        actor_name=actor.username,
        request_id=request_id or uuid.uuid4(),
        organization_id=audit._organization_id(instance),
        content_type=ContentType.objects.get_for_model(instance),
        object_id=str(instance.pk),
        object_repr=f"{instance} [{action} {when:%d/%m/%Y}]" if when else str(instance),
        action=action,
        before={"name": "trước"} if action != "create" else None,
        after={"name": "sau"},
        changed_fields=["name"],
    )


@pytest.fixture
def history(world, officer, ent_a_officer):
    """Four change records of known actors, types, days and actions."""
    day = dt.datetime(2025, 3, 10, 9, 0, tzinfo=dt.UTC)
    return {
        "a": _change(world.facility_a, actor=officer, when=day),
        "b": _change(world.facility_b, actor=ent_a_officer, when=day + dt.timedelta(days=1), action="create"),
        "c": _change(world.park, actor=officer, when=day + dt.timedelta(days=2), action="delete"),
        "d": _change(world.ent_a, actor=officer, when=day + dt.timedelta(days=3)),
    }


def _rows(response) -> list[str]:
    return re.findall(r"\[(\w+ \d\d/\d\d/\d{4})\]", response.content.decode())


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (lambda h, w: {"actor_id": h["b"].actor_id}, ["create 11/03/2025"]),
        (
            lambda h, w: {"content_type_id": ContentType.objects.get_for_model(Facility).pk},
            ["create 11/03/2025", "update 10/03/2025"],
        ),
        (lambda h, w: {"action": "delete"}, ["delete 12/03/2025"]),
        (
            lambda h, w: {"time_after": "2025-03-11", "time_before": "2025-03-12"},
            ["delete 12/03/2025", "create 11/03/2025"],
        ),
        (
            lambda h, w: {"object_id": str(w.park.pk), "content_type_id": ContentType.objects.get_for_model(w.park).pk},
            ["delete 12/03/2025"],
        ),
        (lambda h, w: {"organization_id": w.ent_a.pk, "action": "update"}, ["update 13/03/2025", "update 10/03/2025"]),
        (lambda h, w: {"request_id": str(h["c"].request_id)}, ["delete 12/03/2025"]),
    ],
)
def test_audit_log_filters(world, history, auditor, query, expected):
    response = _client(auditor).get(AUDIT, query(history, world))
    assert response.status_code == 200
    assert _rows(response) == expected


def test_audit_log_with_an_invalid_filter_answers_400_and_lists_nothing(world, history, auditor):
    response = _client(auditor).get(AUDIT, {"time_after": "10/03/2025x"})
    assert response.status_code == 400
    assert _rows(response) == []
    assert "is-invalid" in response.content.decode()


def test_audit_log_answers_htmx_with_the_table_only(world, history, auditor):
    response = _client(auditor).get(AUDIT, {"action": "delete"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="list-table")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="list-table"')
    assert "<html" not in html
    assert _rows(response) == ["delete 12/03/2025"]


def _audit_ids(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'href="/audit/(\d+)/"', response.content.decode())]


def _pager(response) -> dict[str, str]:
    html = response.content.decode()
    return {rel: href.replace("&amp;", "&") for rel, href in re.findall(r'rel="(prev|next)" href="([^"]+)"', html)}


def test_audit_log_pages_newest_first_by_position_without_counting(world, auditor, officer):
    for _ in range(23):
        _change(world.facility_a, actor=officer, action="update")
    expected = list(ObjectChange.objects.visible_to(auditor, "view").order_by("-pk").values_list("pk", flat=True))
    client = _client(auditor)

    seen, url, pages_read = [], AUDIT + "?per_page=10", 0
    while url:
        response = client.get(url if url.startswith("/") else AUDIT + url)
        assert response.status_code == 200
        assert "result" not in response.content.decode().split('id="result-count">')[1][:40]  # no total
        seen += _audit_ids(response)
        pages_read += 1
        url = _pager(response).get("next")
    assert seen == expected  # every change once, newest first
    assert pages_read == -(-len(expected) // 10)

    second = client.get(AUDIT, {"per_page": 10, "before": expected[9]})
    assert _audit_ids(second) == expected[10:20]
    back = client.get(AUDIT + _pager(second)["prev"])
    assert _audit_ids(back) == expected[:10]
    assert "prev" not in _pager(back)  # the newest page has nothing newer


def test_audit_log_keeps_its_filters_while_paging(world, auditor, officer, ent_a_officer):
    for _ in range(12):
        _change(world.facility_a, actor=officer, action="update")
        _change(world.facility_b, actor=ent_a_officer, action="update")
    client = _client(auditor)
    first = client.get(AUDIT, {"per_page": 10, "actor": ent_a_officer.username})
    following = client.get(AUDIT + _pager(first)["next"])
    ids = _audit_ids(first) + _audit_ids(following)
    assert len(ids) == 12
    assert set(ObjectChange.objects.filter(pk__in=ids).values_list("actor_id", flat=True)) == {ent_a_officer.pk}


@pytest.mark.parametrize("position", ["abc", "-5", "1.5"])
def test_audit_log_with_a_malformed_position_answers_400_with_the_newest_page(world, history, auditor, position):
    response = _client(auditor).get(AUDIT, {"before": position})
    assert response.status_code == 400
    assert f"The page position “{position}” is not valid." in response.content.decode()
    assert _rows(response)[0] == "update 13/03/2025"


def test_audit_log_detail_shows_the_change(world, history, auditor):
    change = history["a"]
    html = _client(auditor).get(change.get_absolute_url()).content.decode()
    assert f"organizations.facility #{world.facility_a.pk}" in html
    assert str(change.request_id) in html
    assert re.search(r"<code>name</code></td><td[^>]*>trước</td><td[^>]*>sau</td>", html)


def test_audit_log_detail_of_a_record_outside_the_scope_is_not_found(world, history, ent_a_officer):
    assert _client(ent_a_officer).get(history["a"].get_absolute_url()).status_code == 404


def test_audit_log_detail_of_a_missing_record_is_not_found(world, auditor):
    assert _client(auditor).get(reverse("core:objectchange_detail", kwargs={"pk": 999999})).status_code == 404


# --- object history ---------------------------------------------------------------------------------------


def test_object_history_page_lists_every_change_newest_first(world, officer):
    for capacity in ("10/năm", "20/năm"):
        org_services.facility_update(actor=officer, instance=world.facility_a, data={"capacity": capacity})
    html = _client(officer).get(reverse("organizations:facility_history", kwargs={"pk": world.facility_a.pk}))
    text = html.content.decode()
    assert html.status_code == 200
    cards = text.split('class="card mb-2 change-record"')[1:]
    assert [re.search(r'<span class="badge[^"]*">([^<]+)</span>', c).group(1) for c in cards] == [
        "Updated",
        "Updated",
        "Created",
    ]
    assert re.search(r"<code>capacity</code></td><td[^>]*>10/năm</td><td[^>]*>20/năm</td>", cards[0])
    assert re.search(r"<code>capacity</code></td><td[^>]*>—</td><td[^>]*>10/năm</td>", cards[1])


def test_object_history_is_paginated_by_25(world, officer):
    for i in range(26):
        org_services.facility_update(actor=None, instance=world.facility_b, data={"capacity": f"{i}/năm"})
    url = reverse("organizations:facility_history", kwargs={"pk": world.facility_b.pk})
    client = _client(officer)
    assert client.get(url).content.decode().count('class="card mb-2 change-record"') == 25
    assert client.get(url, {"page": 2}).content.decode().count('class="card mb-2 change-record"') == 2


def test_detail_page_shows_the_latest_changes_and_links_the_full_history(world, officer):
    for i in range(9):
        org_services.facility_update(actor=None, instance=world.facility_b, data={"capacity": f"{i}/năm"})
    html = _client(officer).get(world.facility_b.get_absolute_url()).content.decode()
    card = html[html.index('id="history"') :]
    assert card.count('class="list-group-item small"') == 8
    assert reverse("organizations:facility_history", kwargs={"pk": world.facility_b.pk}) in card
    assert changes_for(world.facility_b).count() == 10


# --- notifications ---------------------------------------------------------------------------------------


@pytest.fixture
def inbox(world, ent_a_officer, officer):
    mine = [services.notification_send(recipient=ent_a_officer, title=f"Thông báo {i}") for i in range(3)]
    theirs = services.notification_send(recipient=officer, title="Thông báo của người khác")
    return mine, theirs


def _unread(user) -> set[str]:
    return set(Notification.objects.filter(recipient=user, read_at__isnull=True).values_list("title", flat=True))


def test_notification_list_shows_ones_own_and_the_unread_count(world, inbox, ent_a_officer):
    html = _client(ent_a_officer).get(NOTIFICATIONS).content.decode()
    assert re.findall(r"Thông báo(?: của người khác| \d)", html) == ["Thông báo 2", "Thông báo 1", "Thông báo 0"]
    assert re.search(r'id="unread-count">3<', html)


def test_marking_one_notification_read(world, inbox, ent_a_officer):
    mine, _theirs = inbox
    response = _client(ent_a_officer).post(reverse("core:notification_read"), {"id": mine[1].pk})
    assert response["Location"] == NOTIFICATIONS
    assert _unread(ent_a_officer) == {"Thông báo 0", "Thông báo 2"}


def test_marking_all_read_and_the_counter_disappears(world, inbox, ent_a_officer, officer):
    client = _client(ent_a_officer)
    client.post(reverse("core:notification_read"), {"next": reverse("core:home")})
    assert _unread(ent_a_officer) == set()
    assert _unread(officer) == {"Thông báo của người khác"}
    assert 'id="unread-count"' not in client.get(NOTIFICATIONS).content.decode()


def test_nobody_marks_someone_elses_notification(world, inbox, ent_a_officer, officer):
    _mine, theirs = inbox
    client = _client(ent_a_officer)
    before = database_state()
    client.post(reverse("core:notification_read"), {"id": theirs.pk})
    assert database_state() == before
    assert _unread(officer) == {"Thông báo của người khác"}


def test_invalid_notification_id_is_refused(world, inbox, ent_a_officer):
    client = _client(ent_a_officer)
    before = database_state()
    assert client.post(reverse("core:notification_read"), {"id": "abc"}).status_code == 400
    assert database_state() == before


@pytest.mark.parametrize(
    ("next_url", "location"),
    [("/organizations/facilities/", "/organizations/facilities/"), ("https://evil.example/", NOTIFICATIONS)],
)
def test_mark_read_returns_only_to_a_local_page(world, inbox, ent_a_officer, next_url, location):
    response = _client(ent_a_officer).post(reverse("core:notification_read"), {"next": next_url})
    assert response["Location"] == location


def test_notification_list_needs_a_signed_in_user(db):
    response = Client().get(NOTIFICATIONS)
    assert response["Location"] == f"{reverse('accounts:login')}?next={NOTIFICATIONS}"


# --- jobs --------------------------------------------------------------------------------------------------


def test_job_list_shows_ones_own_jobs_newest_first(world, ent_a_officer, officer):
    services.job_create(owner=ent_a_officer, kind="export", title="Xuất một", params={})
    services.job_create(owner=ent_a_officer, kind="export", title="Xuất hai", params={})
    services.job_create(owner=officer, kind="export", title="Xuất của người khác", params={})
    html = _client(ent_a_officer).get(reverse("core:job_list")).content.decode()
    assert re.findall(r"Xuất (?:một|hai|của người khác)", html) == ["Xuất hai", "Xuất một"]


def test_job_page_with_a_malformed_id_is_not_found(world, ent_a_officer):
    assert _client(ent_a_officer).get("/jobs/not-a-uuid/").status_code == 404


# --- error pages ---------------------------------------------------------------------------------------------


def test_404_renders_in_the_portal(world, ent_a_officer):
    response = _client(ent_a_officer).get("/no/such/page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert '<div class="display-5 text-muted">404</div>' in html
    assert 'id="area-menu"' in html and 'id="user-menu"' in html


def test_404_of_an_invisible_record_renders_in_the_portal(world, ent_a_officer):
    response = _client(ent_a_officer).get(world.facility_b.get_absolute_url())
    assert response.status_code == 404
    assert "This page does not exist, or you may not see it." in response.content.decode()
    assert "Nhà máy điện tử" not in response.content.decode()


def test_403_renders_in_the_portal(world, ent_a_officer):
    response = _client(ent_a_officer).get(AUDIT)
    html = response.content.decode()
    assert response.status_code == 403
    assert '<div class="display-5 text-muted">403</div>' in html
    assert "You do not have permission to see this page or do this action." in html
    assert 'id="area-menu"' in html


def test_404_for_an_anonymous_visitor_renders_without_the_menu(db):
    response = _client().get("/no/such/page/")
    assert response.status_code == 404
    assert 'id="area-menu"' not in response.content.decode()


def test_500_page_stands_alone_without_the_database(db, django_assert_num_queries):
    request = RequestFactory().get("/")
    with django_assert_num_queries(0):
        response = pages.server_error(request)
    assert response.status_code == 500
    assert "<h1>500</h1>" in response.content.decode()
    assert "Something went wrong on our side." in response.content.decode()


def test_400_renders_in_the_portal(world, ent_a_officer):
    request = RequestFactory().get("/")
    request.user = ent_a_officer
    response = pages.bad_request(request, None)
    html = response.content.decode()
    assert response.status_code == 400
    assert '<div class="display-5 text-muted">400</div>' in html
    assert 'id="area-menu"' in html
