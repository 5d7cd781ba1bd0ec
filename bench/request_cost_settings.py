"""Settings of the server that ``request_cost.py`` starts: base settings, a pool, a counter.

Bench-only: the outermost middleware counts the SQL queries of each request into the
``X-Bench-Queries`` header, and ``/bench/floor`` is a trivial view (one query) that shows
what the framework alone costs under the same server.
"""

from course_selection_settings import *  # noqa: F403
from course_selection_settings import MIDDLEWARE

MIDDLEWARE = ["request_cost_middleware.QueryCountMiddleware", *MIDDLEWARE]
ROOT_URLCONF = "request_cost_middleware"

# The bench issues one token per demo account from one address, more than a person would in
# a minute; the sign-in limit stays on and the account lockout (django-axes) is untouched.
API_RATE_LIMIT_LOGIN = "100/m"
