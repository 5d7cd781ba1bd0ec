"""Search: Chinese words found through jieba, facets, and the ranking users rely on."""

from openvet.resources import selectors
from openvet.resources.models import Resource
from openvet.resources.search import engine, segment
from openvet.resources.tests.conftest import World
from openvet.resources.tests.factories import make_resource


def _titles(world: World, query: str, **filters: str) -> list[str]:
    found = selectors.resource_search(actor=world.teacher_a2, query=query, filters=filters)
    return [r.title for r in found.resources]


def test_the_resource_whose_title_matches_ranks_first(world: World) -> None:
    make_resource(
        world.teacher_a,
        publish=True,
        title="机械制图基础",
        description="本课讲到护理操作时的注意事项，也提到护理记录",
        keywords="制图",
    )
    make_resource(world.teacher_a, publish=True, title="护理学基础", description="基础护理技术")
    make_resource(world.teacher_a, publish=True, title="会计基础", description="记账")
    assert _titles(world, "护理") == ["护理学基础", "机械制图基础"]


def test_a_shorter_word_finds_the_longer_one_and_english_words_match(world: World) -> None:
    make_resource(world.teacher_a, publish=True, title="数控加工编程", keywords="CNC")
    assert _titles(world, "数控") == ["数控加工编程"]
    assert _titles(world, "cnc") == ["数控加工编程"]
    assert _titles(world, "烹饪") == []


def test_facets_count_and_narrow(world: World) -> None:
    make_resource(world.teacher_a, publish=True, title="网络安全视频", resource_type="video")
    make_resource(world.teacher_a, publish=True, title="网络安全讲义", resource_type="document")
    found = selectors.resource_search(actor=world.teacher_a2, query="网络安全", filters={})
    assert dict(found.facets["resource_type"]) == {"video": 1, "document": 1}
    assert _titles(world, "网络安全", resource_type="document") == ["网络安全讲义"]


def test_certified_and_popular_resources_rank_higher_among_equals(world: World) -> None:
    plain = make_resource(world.teacher_a, publish=True, title="电工基础 一")
    popular = make_resource(world.teacher_a, publish=True, title="电工基础 二")
    Resource.objects.filter(pk=popular.pk).update(views=500, certified_level="school")
    assert _titles(world, "电工基础") == [popular.title, plain.title]


def test_search_never_shows_another_schools_library(world: World) -> None:
    make_resource(world.teacher_b, publish=True, title="护理学基础")
    assert _titles(world, "护理") == []


def test_a_title_match_is_a_candidate_when_more_bodies_match_than_are_ranked(
    world: World,
) -> None:
    """The engine ranks a bounded number of candidates (ADR 0534): title matches come first,
    so a title match is never crowded out by resources that mention the word in passing."""
    # The title match is the oldest, so the newest bodies alone would crowd it out.
    titled = make_resource(world.teacher_a, publish=True, title="液压传动", description="")
    for number in range(3):
        make_resource(
            world.teacher_a, publish=True, title=f"会计基础 {number}", description="液压 传动"
        )
    ranked = engine().ranked(words=segment("液压"), limit=2)
    assert ranked[0][0] == titled.pk
    assert len(ranked) == 2
