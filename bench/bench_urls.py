"""URLs of the bench web process: the product's, plus /bench/bare-meetings, the reference view.

The reference does what the meetings list must do at the least (one SQL query for a page of 30 of
one host's meetings, json.dumps), through the same Django stack and middleware, without the API's
authentication, counting or representation. It exists only under bench/bench_settings.py.
"""

import json

from django.db import connection
from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as product_urlpatterns

BARE_SQL = """
SELECT m.id, m.topic, m.type, m.start_time, m.duration, m.timezone, left(m.agenda, 250), m.created_at, u.public_id
FROM meetings_meeting m JOIN accounts_user u ON u.id = m.host_id
WHERE m.host_id = %s AND m.deleted_at IS NULL
ORDER BY coalesce(m.start_time, m.created_at), m.id LIMIT 30
"""


def bare_meetings(request):
    with connection.cursor() as cursor:
        cursor.execute(BARE_SQL, [int(request.GET.get("host", "0"))])
        rows = cursor.fetchall()
    meetings = [{"id": r[0], "topic": r[1], "type": r[2], "start_time": r[3].isoformat() if r[3] else None,
                 "duration": r[4], "timezone": r[5], "agenda": r[6], "created_at": r[7].isoformat(),
                 "host_id": r[8]} for r in rows]
    return HttpResponse(json.dumps({"page_size": 30, "meetings": meetings}), content_type="application/json")


urlpatterns = [path("bench/bare-meetings", bare_meetings), *product_urlpatterns]
