"""PostgreSQL full-text engine over the segmented words (``simple`` configuration: no
stemming, the words are already cut), ranked by ``ts_rank`` with the title in weight A.

The weighted vector is a stored generated column, ``document`` (migration 0007), so ranking
reads it instead of segmenting every matched row again; both tiers of ``ranked`` are served by
GIN indexes (ADR 0534).
"""

from django.db import connection

# The GIN index of migration 0002 was built on this expression; ``document`` now stores it.
VECTOR = (
    "(setweight(to_tsvector('simple', title_words), 'A') || "
    "setweight(to_tsvector('simple', body_words), 'B'))"
)
# The title's words alone: the first tier, with its own GIN index (migration 0007).
TITLE_VECTOR = "to_tsvector('simple', title_words)"

_TITLE_TIER = (
    "SELECT resource_id, ts_rank(document, query) AS score "  # noqa: S608
    f"FROM resources_searchtext, plainto_tsquery('simple', %s) AS query "
    f"WHERE {TITLE_VECTOR} @@ query ORDER BY score DESC LIMIT %s"
)
# The body tier scores the first matches the index finds, not every match (ADR 0534).
_BODY_TIER = (
    "SELECT resource_id, ts_rank(document, query) AS score "  # noqa: S608
    "FROM resources_searchtext, plainto_tsquery('simple', %s) AS query "
    f"WHERE document @@ query AND NOT {TITLE_VECTOR} @@ query LIMIT %s"
)


class PostgresEngine:
    def index(self, *, resource_id: int, title_words: str, body_words: str) -> None:
        """Nothing to do: the index is on ``SearchText``, written by the service."""

    def remove(self, *, resource_id: int) -> None:
        """Nothing to do: the ``SearchText`` row goes with its resource."""

    def ranked(self, *, words: list[str], limit: int) -> list[tuple[int, float]]:
        """Resources with every word in the title, best first; then, while there is room,
        resources with the words in the body."""
        if not words:
            return []
        query = " ".join(words)
        with connection.cursor() as cursor:
            cursor.execute(_TITLE_TIER, [query, limit])
            found = [(int(row[0]), float(row[1])) for row in cursor.fetchall()]
            if len(found) < limit:
                cursor.execute(_BODY_TIER, [query, limit - len(found)])
                body = [(int(row[0]), float(row[1])) for row in cursor.fetchall()]
                found += sorted(body, key=lambda pair: -pair[1])
        return found
