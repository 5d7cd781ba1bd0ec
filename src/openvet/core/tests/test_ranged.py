"""A player seeking in a video asks for one byte range; what it gets back is what it asked."""

import pytest

from openvet.core.ranged import byte_range


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("bytes=0-", (0, 99)),
        ("bytes=10-19", (10, 19)),
        ("bytes=90-500", (90, 99)),  # an end past the file is cut to its last byte
        ("bytes=-10", (90, 99)),  # the last ten bytes
        (" bytes=0-0 ", (0, 0)),
    ],
)
def test_a_single_range_within_the_file_is_served(header: str, expected: tuple[int, int]) -> None:
    assert byte_range(header, 100) == expected


@pytest.mark.parametrize(
    "header", ["bytes=100-", "bytes=20-10", "bytes=-", "bytes=0-1,5-6", "items=0-1", "bytes=x-"]
)
def test_a_range_outside_the_file_or_of_several_parts_is_not(header: str) -> None:
    assert byte_range(header, 100) is None
