"""Every admin page loads for every registered model, with a real object of each: the changelist
(plain, searched, each filter choice and the date drill-down), the change page and the add page
where adding is allowed (refused with 403 where it is not)."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from tests.admin.helpers import admin_path, registered_models

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", registered_models(), ids=lambda model: model._meta.label)
def test_changelist_change_and_add_pages_load(model, admin_client, one_of_each, operator):
    assert model in one_of_each, f"tests/admin/conftest.py makes no {model._meta.label}: add one"
    obj = one_of_each[model]
    model_admin = admin.site._registry[model]  # noqa: SLF001

    changelist = admin_client.get(admin_path(model))
    assert changelist.status_code == 200, changelist.content[:2000]
    assert admin_path(model, "change", obj).encode() in changelist.content  # the object is listed, linked

    if model_admin.search_fields:
        for term in ("42", "hana", str(obj.pk)):
            searched = admin_client.get(admin_path(model), {"q": term})
            assert searched.status_code == 200, (term, searched.content[:2000])

    for spec in changelist.context["cl"].filter_specs:  # the filters shown (a related one needs 2 choices)
        for choice in spec.choices(changelist.context["cl"]):
            response = admin_client.get(admin_path(model) + choice["query_string"])
            assert response.status_code == 200, (choice["query_string"], response.content[:2000])

    if model_admin.date_hierarchy:
        field = model_admin.date_hierarchy
        value = getattr(obj, field)
        drilled = admin_client.get(admin_path(model), {f"{field}__year": value.year, f"{field}__month": value.month})
        assert drilled.status_code == 200

    change = admin_client.get(admin_path(model, "change", obj))
    assert change.status_code == 200, change.content[:2000]

    request = RequestFactory().get("/")
    request.user = operator
    add = admin_client.get(admin_path(model, "add"))
    assert add.status_code == (200 if model_admin.has_add_permission(request) else 403)
