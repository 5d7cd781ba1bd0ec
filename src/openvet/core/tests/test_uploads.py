"""The upload guard: archives and sheets refused before they cost memory or escape a folder."""

import re
import stat
import zipfile
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage
from django.utils import translation

from openvet.core.uploads import (
    MB,
    SheetLimits,
    UploadLimits,
    UploadRefused,
    extract_zip,
    guard_cell,
    guard_image_pixels,
    guard_sheet_area,
    guard_sheet_extent,
    guard_size,
    guard_xlsx,
    guard_zip,
    open_member,
    parse_reference,
)

LIMITS = UploadLimits()


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def archive(*members: tuple[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> BytesIO:
    out = BytesIO()
    with zipfile.ZipFile(out, "w", compression) as book:
        for name, data in members:
            book.writestr(name, data)
    out.seek(0)
    return out


def refusal(call: object, *args: object, **kwargs: object) -> str:
    with pytest.raises(UploadRefused) as refused:
        call(*args, **kwargs)  # type: ignore[operator]
    assert refused.value.status == 422
    assert refused.value.code == "upload_refused"
    return str(refused.value.details["file"])


def test_a_plain_archive_lists_its_members_with_their_sizes() -> None:
    members = guard_zip(archive(("a.txt", b"abc"), ("dir/b.txt", b"hello")), limits=LIMITS)
    assert [(m.name, m.size) for m in members] == [("a.txt", 3), ("dir/b.txt", 5)]


def test_a_zip_bomb_member_is_refused_by_its_ratio() -> None:
    bomb = archive(("xl/worksheets/sheet1.xml", b"\0" * (20 * MB)))
    assert refusal(guard_zip, bomb, limits=LIMITS) == (
        "“xl/worksheets/sheet1.xml” in the archive is compressed more than 100 times, as only "
        "a file built to exhaust the server is."
    )


def test_member_and_total_sizes_are_capped() -> None:
    limits = UploadLimits(max_member_bytes=1000, max_total_bytes=1500, max_ratio=10**6)
    assert refusal(guard_zip, archive(("big.bin", b"x" * 1001)), limits=limits) == (
        "“big.bin” in the archive unpacks to more than 1 MB."
    )
    two = archive(("a.bin", b"x" * 800), ("b.bin", b"y" * 800))
    assert refusal(guard_zip, two, limits=limits) == (
        "The archive unpacks to more than 1 MB in all."
    )


def test_member_count_is_capped() -> None:
    many = archive(*[(f"f{i}.txt", b"") for i in range(11)])
    assert refusal(guard_zip, many, limits=UploadLimits(max_members=10)) == (
        "The archive holds more than 10 files."
    )


@pytest.mark.parametrize("name", ["../evil.py", "a/../../evil.py", "/etc/passwd", "C:/x.txt"])
def test_paths_leaving_the_archive_are_refused(name: str) -> None:
    message = refusal(guard_zip, archive((name, b"x")), limits=LIMITS)
    assert message == f"“{name}” in the archive points outside it (an absolute path or “..”)."


def test_backslash_traversal_is_refused_too() -> None:
    message = refusal(guard_zip, archive(("..\\evil.py", b"x")), limits=LIMITS)
    assert message.endswith("points outside it (an absolute path or “..”).")


def test_a_symbolic_link_is_refused() -> None:
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as book:
        info = zipfile.ZipInfo("link")
        info.create_system = 3
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        book.writestr(info, "/etc/passwd")
    out.seek(0)
    assert refusal(guard_zip, out, limits=LIMITS) == (
        "“link” in the archive is a link; archives with links are refused."
    )


def test_a_damaged_archive_and_an_oversized_upload_are_refused() -> None:
    assert refusal(guard_zip, BytesIO(b"PK\x03\x04 not really"), limits=LIMITS) == (
        "The file is damaged or is not the kind of file expected."
    )
    assert refusal(guard_size, BytesIO(b"x" * 2048), limits=UploadLimits(max_bytes=1024)) == (
        "The file is larger than 1 MB."
    )


def test_refusals_are_translated() -> None:
    with translation.override("zh-hans"):
        message = refusal(guard_zip, archive(("../a", b"")), limits=LIMITS)
    assert message == "压缩包中的“../a”指向包外（绝对路径或“..”）。"


def test_a_member_that_inflates_beyond_its_declared_size_stops_there() -> None:
    data = archive(("a.txt", b"x" * 5000))
    members = guard_zip(data, limits=LIMITS)
    lying = members[0].__class__(
        name="a.txt", size=100, compressed_size=members[0].compressed_size, info=members[0].info
    )
    with zipfile.ZipFile(data) as book, open_member(book, lying, limits=LIMITS) as stream:
        assert len(stream.read(100)) == 100
        with pytest.raises(UploadRefused) as refused:
            stream.read()
    assert str(refused.value.message) == "“a.txt” in the archive unpacks to more than it declares."


def test_extract_writes_every_member_under_the_prefix(tmp_path: Path) -> None:
    storage = FileSystemStorage(location=tmp_path)
    stored = extract_zip(
        archive(("imsmanifest.xml", b"<manifest/>"), ("res/page.html", b"<p>hi</p>")),
        storage=storage,
        prefix="packages/7",
        limits=LIMITS,
    )
    assert stored == ["packages/7/imsmanifest.xml", "packages/7/res/page.html"]
    assert (tmp_path / "packages/7/res/page.html").read_bytes() == b"<p>hi</p>"


def test_extract_writes_nothing_when_a_member_is_refused(tmp_path: Path) -> None:
    storage = FileSystemStorage(location=tmp_path)
    bad = archive(("ok.html", b"fine"), ("../../outside.html", b"evil"))
    with pytest.raises(UploadRefused):
        extract_zip(bad, storage=storage, prefix="packages/8", limits=LIMITS)
    assert list(tmp_path.rglob("*")) == []
    assert not (tmp_path.parent / "outside.html").exists()


def test_sheet_extent_and_cells_are_capped() -> None:
    limits = SheetLimits(max_rows=100, max_columns=20, max_cells=50)
    guard_sheet_extent(rows=100, columns=20, limits=limits)
    assert refusal(guard_sheet_extent, rows=1, columns=16384, limits=limits) == (
        "The sheet uses 16384 columns; at most 20 are allowed."
    )
    assert refusal(guard_sheet_extent, rows=101, columns=1, limits=limits) == (
        "The sheet uses 101 rows; at most 100 are allowed."
    )
    guard_cell(row=5, column=20, count=50, limits=limits)
    assert refusal(guard_cell, row=5, column=21, count=1, limits=limits) == (
        "The sheet has a cell in row 5, column 21, beyond the 20 columns a sheet may use. "
        "Delete the columns right of your data and upload again."
    )
    assert refusal(guard_cell, row=5, column=1, count=51, limits=limits) == (
        "The sheet has more than 50 filled cells; split it into several files."
    )


def test_a_dense_sheet_area_is_capped() -> None:
    limits = SheetLimits(max_cells=100)
    guard_sheet_area(rows=10, columns=10, limits=limits)
    assert refusal(guard_sheet_area, rows=11, columns=10, limits=limits) == (
        "The sheet's cells span 11 rows by 10 columns, more than the 100 cells a sheet may "
        "have. Delete the rows and columns beyond your data and upload again."
    )


def test_cell_references_are_parsed_and_bad_ones_refused() -> None:
    assert parse_reference("A1") == (1, 1)
    assert parse_reference("XFD1048576") == (1048576, 16384)
    assert parse_reference("$B$3") == (3, 2)
    with pytest.raises(ValueError, match="1A"):
        parse_reference("1A")


def test_an_image_claiming_too_many_pixels_is_refused() -> None:
    guard_image_pixels(width=1000, height=1000, max_pixels=1_000_000)
    assert refusal(guard_image_pixels, width=1001, height=1000, max_pixels=1_000_000) == (
        "The image has more than 1 megapixels; scale it down and upload it again."
    )


def _xlsx(extra_cell: bytes = b"", dimension: bytes = b"A1") -> BytesIO:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["name"])
    raw = BytesIO()
    book.save(raw)
    out = BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(
                    rb'<dimension ref="[^"]*"', b'<dimension ref="' + dimension + b'"', data
                )
                data = data.replace(b"</row>", extra_cell + b"</row>", 1)
            target.writestr(info, data, zipfile.ZIP_DEFLATED)
    out.seek(0)
    return out


def test_guard_xlsx_checks_the_declared_extent_and_every_cell_reference() -> None:
    limits = SheetLimits(max_columns=20)
    guard_xlsx(_xlsx(), limits=LIMITS, sheet_limits=limits)
    assert refusal(guard_xlsx, _xlsx(dimension=b"A1:XFD1"), limits=LIMITS, sheet_limits=limits) == (
        "The sheet uses 16384 columns; at most 20 are allowed."
    )
    far = b'<c r="XFD1" t="n"><v>1</v></c>'
    assert refusal(guard_xlsx, _xlsx(extra_cell=far), limits=LIMITS, sheet_limits=limits) == (
        "The sheet has a cell in row 1, column 16384, beyond the 20 columns a sheet may use. "
        "Delete the columns right of your data and upload again."
    )


def test_guard_xlsx_leaves_other_archives_to_their_reader() -> None:
    guard_xlsx(archive(("readme.txt", b"hi")), limits=LIMITS, sheet_limits=SheetLimits())
