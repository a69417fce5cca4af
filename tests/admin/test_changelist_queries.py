"""The changelists of our models stay fast with many rows: the number of queries a page makes does
not grow with the rows it shows (related objects come with list_select_related, not one query each)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.admin.helpers import admin_path, our_models

pytestmark = pytest.mark.django_db


def queries_per_changelist(client) -> dict[str, int]:
    counts = {}
    for model in our_models():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(admin_path(model))
        assert response.status_code == 200, model._meta.label
        counts[model._meta.label] = len(captured)
    return counts


def test_changelist_queries_do_not_grow_with_rows(admin_client, make_objects):
    make_objects("-one")
    with_one = queries_per_changelist(admin_client)
    make_objects("-two")
    make_objects("-three")
    with_three = queries_per_changelist(admin_client)
    grew = {label: (with_one[label], count) for label, count in with_three.items() if count != with_one[label]}
    assert grew == {}, "queries with one row vs three rows"
