"""Reading a SCORM 1.2, SCORM 2004 or IMS Common Cartridge package (ADR 0513).

The package is checked by ``core.uploads`` (the one guard) before any member is read, and
only ``imsmanifest.xml`` (and a metadata file it names) is read, without DTDs or entities.
Sources: IMS Content Packaging 1.1.x (the manifest of all three), ADL SCORM 1.2 CAM §2.3 and
SCORM 2004 3rd/4th Edition CAM §3 (``adlcp:scormtype`` / ``adlcp:scormType``, the launch
``href`` of a SCO or asset), IMS Common Cartridge 1.0–1.3 (LOM in ``metadata/lom``).
The metadata come from the IEEE LOM in the manifest (``general/title``, ``description``,
``keyword``, ``language``), else from the default organization's title.
"""

import posixpath
import zipfile
from dataclasses import dataclass, field
from typing import IO, Any

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.utils.translation import gettext as _

from openvet.core.uploads import SafeMember, UploadLimits, UploadRefused, guard_zip, open_member

MANIFEST = "imsmanifest.xml"
MAX_MANIFEST_BYTES = 5 * 1024 * 1024


class PackageKind:
    SCORM_12 = "scorm12"
    SCORM_2004 = "scorm2004"
    COMMON_CARTRIDGE = "imscc"


@dataclass(frozen=True)
class PackageInfo:
    kind: str
    version: str
    title: str
    description: str = ""
    keywords: list[str] = field(default_factory=list)
    language: str = ""
    launch: str = ""


def _local(tag: Any) -> str:
    return str(tag).rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(node: Any, name: str) -> list[Any]:
    return [child for child in node if _local(child.tag) == name]


def _first(node: Any, *path: str) -> Any:
    for name in path:
        found = _children(node, name) if node is not None else []
        node = found[0] if found else None
    return node


def _text(node: Any) -> str:
    return " ".join((node.text or "").split()) if node is not None else ""


def _lang_string(node: Any) -> str:
    """A LOM LangString: the first ``string`` (2004, CC), or the element's own text (1.2
    ``langstring``)."""
    if node is None:
        return ""
    for child in node.iter():
        if _local(child.tag) in ("string", "langstring") and _text(child):
            return _text(child)
    return _text(node)


def _refused(message: str) -> UploadRefused:
    return UploadRefused(message)


def _parse(data: bytes) -> Any:
    try:
        return fromstring(data, forbid_dtd=True)
    except (DefusedXmlException, SyntaxError) as exc:
        raise _refused(_("The package's imsmanifest.xml is not well-formed XML.")) from exc


def _read(archive: zipfile.ZipFile, member: SafeMember, limits: UploadLimits) -> bytes:
    if member.size > MAX_MANIFEST_BYTES:
        raise _refused(_("The package's manifest is larger than 5 MB."))
    with open_member(archive, member, limits=limits) as stream:
        data: bytes = stream.read()
    return data


def _kind(root: Any) -> tuple[str, str]:
    schema = _text(_first(root, "metadata", "schema"))
    version = _text(_first(root, "metadata", "schemaversion"))
    namespace = str(root.tag).partition("}")[0]
    if "Common Cartridge" in schema or "imscc" in namespace:
        return PackageKind.COMMON_CARTRIDGE, version
    if "SCORM" in schema.upper() or "adlnet" in str(root.attrib) or _scorm_attr(root):
        if version.startswith("1.2") or "imscp_rootv1p1p2" in namespace:
            return PackageKind.SCORM_12, version or "1.2"
        return PackageKind.SCORM_2004, version or "2004"
    raise _refused(_("This is not a SCORM or IMS Common Cartridge package."))


def _scorm_attr(root: Any) -> bool:
    return any(_local(name).lower() == "scormtype" for node in root.iter() for name in node.attrib)


def _launch(root: Any, kind: str, names: set[str]) -> str:
    """The first resource a learner opens: the first SCO or asset with an ``href`` (SCORM),
    the first web content (Common Cartridge); it must be in the package."""
    base = root.get("{http://www.w3.org/XML/1998/namespace}base", "")
    for resource in _children(_first(root, "resources") or [], "resource"):
        href = resource.get("href", "")
        scorm_type = next(
            (v for k, v in resource.attrib.items() if _local(k).lower() == "scormtype"), ""
        )
        if kind == PackageKind.COMMON_CARTRIDGE:
            wanted = resource.get("type", "") == "webcontent"
        else:
            wanted = scorm_type.lower() in ("sco", "asset")
        if href and wanted:
            path = str(posixpath.normpath(posixpath.join(base, href.split("?")[0].split("#")[0])))
            if path not in names:
                raise _refused(
                    _("The package's launch page %(href)s is not in the package.")
                    % {"href": href[:100]}
                )
            return path
    if kind == PackageKind.COMMON_CARTRIDGE:
        return ""
    raise _refused(_("The package names no SCO or asset to launch."))


def _lom(root: Any, archive: zipfile.ZipFile, members: dict[str, SafeMember], limits: Any) -> Any:
    """The manifest's LOM: inline in ``metadata``, or in the file ``adlcp:location`` names."""
    metadata = _first(root, "metadata")
    if metadata is None:
        return None
    for node in metadata:
        if _local(node.tag) in ("lom", "lomm"):
            return node
        if _local(node.tag) == "location" and _text(node) in members:
            external = _parse(_read(archive, members[_text(node)], limits))
            return external if _local(external.tag) == "lom" else _first(external, "lom")
    return None


def _organization_title(root: Any) -> str:
    organizations = _first(root, "organizations")
    if organizations is None:
        return ""
    default = organizations.get("default", "")
    listed = _children(organizations, "organization")
    chosen = next((o for o in listed if o.get("identifier") == default), None)
    chosen = chosen if chosen is not None else (listed[0] if listed else None)
    return _text(_first(chosen, "title")) if chosen is not None else ""


def read_package(file: IO[bytes], *, limits: UploadLimits) -> PackageInfo:
    """The kind, metadata and launch page of the package ``file``; ``UploadRefused`` with a
    message for the user when it is not a package we can import."""
    members = {m.name: m for m in guard_zip(file, limits=limits)}
    if MANIFEST not in members:
        raise _refused(_("The package has no imsmanifest.xml at its top level."))
    try:
        with zipfile.ZipFile(file) as archive:
            root = _parse(_read(archive, members[MANIFEST], limits))
            if _local(root.tag) != "manifest":
                raise _refused(_("This is not a SCORM or IMS Common Cartridge package."))
            kind, version = _kind(root)
            launch = _launch(root, kind, set(members))
            lom = _lom(root, archive, members, limits)
    finally:
        file.seek(0)
    general = _first(lom, "general") if lom is not None else None
    title = _lang_string(_first(general, "title")) or _organization_title(root)
    return PackageInfo(
        kind=kind,
        version=version,
        title=title[:200],
        description=_lang_string(_first(general, "description")),
        keywords=[_lang_string(k) for k in _children(general, "keyword")] if general else [],
        language=_text(_first(general, "language"))[:8],
        launch=launch,
    )
