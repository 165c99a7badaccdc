"""Keyset paging (core.paging): every page of a sorted list, in both directions, with NULLs and ties in the
sort column; cursors that are malformed or belong to another order; the newest-first pages of the audit log."""

from __future__ import annotations

import base64
import datetime as dt
import json
import math
import uuid

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.utils import timezone, translation

import pytest

from cnan.core import paging
from cnan.core.models import Job
from cnan.core.views.generic import keyset_sorts

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def english():
    with translation.override("en"):
        yield


FINISHED = [dt.datetime(2025, 3, d, 8, 0, tzinfo=dt.UTC) for d in (2, 2, 5, 9)]


@pytest.fixture
def jobs(make_user):
    """23 jobs of two owners: their finish times repeat and every third is unfinished (NULL); their progress
    takes three values; their titles repeat."""
    owners = [make_user(None, username="an"), make_user(None, username="binh")]
    rows = []
    for i in range(23):
        rows.append(
            Job.objects.create(
                owner=owners[i % 2],
                kind="export",
                title=f"Xuất {i % 4}",
                progress=(i * 7) % 3 * 50,
                finished_at=None if i % 3 == 0 else FINISHED[i % 4],
            )
        )
    return rows


def _value(job, path):
    value = job
    for part in path.split("__"):
        value = getattr(value, part)
    return value


def expected(rows, fields, descending):
    """The order the pages must follow, worked out in Python: by the fields then the pk, all in one direction,
    the rows whose first field is NULL last whichever the direction."""

    def key(job, paths):
        return (*(_value(job, p) for p in paths), job.pk)

    if not fields:
        return [j.pk for j in sorted(rows, key=lambda j: j.pk, reverse=descending)]
    set_ = [j for j in rows if _value(j, fields[0]) is not None]
    unset = [j for j in rows if _value(j, fields[0]) is None]
    return [j.pk for j in sorted(set_, key=lambda j: key(j, fields), reverse=descending)] + [
        j.pk for j in sorted(unset, key=lambda j: key(j, fields[1:]), reverse=descending)
    ]


def walk(order, size):
    """Every page from the first, following ``next``; then back from the last, following ``previous``."""
    queryset = Job.objects.select_related("owner")
    pages, params = [], {}
    while True:
        page = paging.sorted_keyset_page(queryset, params, size=size, order=order)
        pages.append(page)
        if page.next is None:
            break
        params = {"after": page.next}
    back = [pages[-1]]
    while back[-1].previous is not None:
        back.append(paging.sorted_keyset_page(queryset, {"before": back[-1].previous}, size=size, order=order))
    return pages, back[::-1]


ORDERS = [
    ("finished_at",),  # NULLs and ties
    ("progress",),  # ties only
    ("owner__username", "title"),  # across a relation, two fields
    (),  # the primary key alone
]


@pytest.mark.parametrize("size", [1, 4, 5, 30])
@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("fields", ORDERS)
def test_every_row_appears_once_in_order_forwards_and_backwards(jobs, fields, descending, size):
    order = paging.ordering(Job, fields, descending=descending, name=("-" if descending else "") + "x")
    pages, back = walk(order, size)
    want = expected(jobs, fields, descending)
    assert [job.pk for page in pages for job in page.rows] == want
    assert [len(page.rows) for page in pages] == [size] * (len(want) // size) + (
        [len(want) % size] if len(want) % size else []
    )
    assert len(pages) == math.ceil(len(want) / size)
    assert pages[0].previous is None and pages[-1].next is None
    # the previous links lead back through the same pages, to a first page without one
    assert [[job.pk for job in page.rows] for page in back] == [[job.pk for job in page.rows] for page in pages]


def test_the_null_rows_come_last_in_both_directions(jobs):
    for descending in (False, True):
        order = paging.ordering(Job, ("finished_at",), descending=descending, name="f")
        rows = [job for page in walk(order, 5)[0] for job in page.rows]
        finished = [job.finished_at for job in rows]
        cut = finished.index(None)
        assert all(f is None for f in finished[cut:]) and None not in finished[:cut]
        assert finished[:cut] == sorted(finished[:cut], reverse=descending)


def test_a_position_survives_the_removal_of_its_row(jobs):
    order = paging.ordering(Job, ("finished_at",), name="finished_at")
    queryset = Job.objects.all()
    first = paging.sorted_keyset_page(queryset, {}, size=5, order=order)
    want = expected(jobs, ("finished_at",), False)
    Job.objects.filter(pk=first.rows[-1].pk).delete()  # the row the cursor names
    second = paging.sorted_keyset_page(queryset, {"after": first.next}, size=5, order=order)
    assert [job.pk for job in second.rows] == want[5:10]
    assert second.previous is not None


def test_a_position_past_the_end_gives_the_first_page(jobs):
    order = paging.ordering(Job, ("progress",), name="progress")
    last = max(jobs, key=lambda j: (j.progress, j.pk))
    cursor = paging.encode_cursor(order, (last.progress, last.pk))
    page = paging.sorted_keyset_page(Job.objects.all(), {"after": cursor}, size=5, order=order)
    assert [job.pk for job in page.rows] == expected(jobs, ("progress",), False)[:5]
    assert page.previous is None


def test_reading_a_page_costs_the_same_queries_however_deep(jobs, django_assert_num_queries):
    order = paging.ordering(Job, ("progress",), name="progress")
    queryset = Job.objects.select_related("owner")
    with django_assert_num_queries(1):  # the page (one row more than its size: is there a next page?)
        first = paging.sorted_keyset_page(queryset, {}, size=3, order=order)
    params = {"after": first.next}
    for _ in range(5):
        with django_assert_num_queries(2):  # the page, and whether any row precedes it
            page = paging.sorted_keyset_page(queryset, params, size=3, order=order)
        params = {"after": page.next}


def test_a_cursor_names_its_order_and_round_trips(jobs):
    assert paging.ordering(Job, ("finished_at", "progress")).nullable  # the first field may be NULL …
    with pytest.raises(ValueError, match="only the first sort field may be NULL"):
        paging.ordering(Job, ("progress", "finished_at"))  # … no other
    order = paging.ordering(Job, ("finished_at",), descending=True, name="-finished_at")
    position = (FINISHED[0], uuid.uuid4())  # a job's key is a UUID
    token = paging.encode_cursor(order, position)
    assert "=" not in token and "/" not in token and "+" not in token
    assert paging.decode_cursor(order, token) == position
    assert paging.decode_cursor(order, paging.encode_cursor(order, (None, position[1]))) == (None, position[1])


def _token(data) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "token",
    [
        "abc",  # not base64 of anything
        "!!!!",
        _token({"finished_at": 1}),  # not a list
        _token(["progress", "2025-03-02T08:00:00+00:00", 3]),  # another order's cursor
        _token(["finished_at", "2025-03-02T08:00:00+00:00"]),  # no primary key
        _token(["finished_at", "2025-03-02T08:00:00+00:00", 3, 4]),  # one value too many
        _token(["finished_at", "yesterday", 3]),  # not a time
        _token(["finished_at", [2025, 3, 2], 3]),  # not a value
        _token(["finished_at", "2025-03-02T08:00:00+00:00", None]),  # no primary key
        _token(["finished_at", "2025-03-02T08:00:00+00:00", "three"]),
        base64.urlsafe_b64encode(b'["finished_at", NaN, 3]').decode(),
        "A" * 5000,  # too long
    ],
)
def test_a_malformed_cursor_is_a_validation_error_with_the_message(token):
    order = paging.ordering(Job, ("finished_at",), name="finished_at")
    with pytest.raises(ValidationError) as caught:
        paging.sorted_keyset_page(Job.objects.all(), {"after": token}, size=5, order=order)
    assert caught.value.messages == [f"The page position “{token}” is not valid."]
    with pytest.raises(ValidationError):
        paging.sorted_keyset_page(Job.objects.all(), {"before": token}, size=5, order=order)


def test_a_null_is_no_position_for_a_column_that_cannot_be_null():
    order = paging.ordering(Job, ("progress",), name="progress")
    with pytest.raises(ValidationError):
        paging.decode_cursor(order, _token(["progress", None, 3]))


def test_an_order_only_follows_columns_reached_through_single_valued_relations():
    with pytest.raises(FieldDoesNotExist):
        paging.ordering(Job, ("owner",))  # a relation: its own default order would decide
    with pytest.raises(FieldDoesNotExist):
        paging.ordering(Job, ("owner__memberships__role",))  # many rows per job
    with pytest.raises(FieldDoesNotExist):
        paging.ordering(Job, ("nothing",))


def test_the_task_list_sorts_by_its_visible_columns_except_free_text():
    from cnan.directives.models import Task
    from cnan.directives.tables import TaskTable

    assert keyset_sorts(TaskTable, Task) == {
        "document": ("document__issued_on", "document__number"),
        "number": ("document__number", "number"),
        "lead": ("lead__name",),
        "effective_deadline": ("effective_deadline",),
        "status": ("status",),
        "progress": ("progress",),
        "forecast_on": ("forecast_on",),
    }


# --- newest first by primary key (the audit log's ?before= / ?after=) ----------------------------------------


def test_newest_first_pages_walk_every_row_once_and_back(jobs):
    queryset = Job.objects.all()
    want = sorted((j.pk for j in jobs), reverse=True)
    seen, params, pages = [], {}, []
    while True:
        page = paging.keyset_page(queryset, params, size=5)
        pages.append(page)
        seen += [job.pk for job in page.rows]
        if page.older is None:
            break
        params = {"before": page.older}
    assert seen == want
    assert pages[0].newer is None
    back = paging.keyset_page(queryset, {"after": pages[2].newer}, size=5)
    assert [job.pk for job in back.rows] == want[5:10]
    assert [job.pk for job in paging.keyset_page(queryset, {"after": pages[1].newer}, size=5).rows] == want[:5]


@pytest.mark.parametrize("position", ["abc", "-5", "1.5"])
def test_newest_first_rejects_a_malformed_position(position):
    with pytest.raises(ValidationError) as caught:
        paging.keyset_page(Job.objects.all(), {"before": position}, size=5)
    assert caught.value.messages == [f"The page position “{position}” is not valid."]


def test_times_keep_their_zone_through_a_cursor():
    order = paging.ordering(Job, ("finished_at",), name="finished_at")
    now = timezone.now()
    assert paging.decode_cursor(order, paging.encode_cursor(order, (now, uuid.uuid4())))[0] == now
