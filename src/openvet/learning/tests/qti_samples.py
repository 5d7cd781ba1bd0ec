"""Small QTI 2.1 and 3.0 content packages written for the tests (zip bytes built in memory)."""

import io
import zipfile

NS = (
    'xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://www.imsglobal.org/xsd/imsqti_v2p1 '
    'http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd"'
)


def item(identifier: str, title: str, declaration: str, body: str) -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<assessmentItem {NS} identifier="{identifier}" '
        f'title="{title}" adaptive="false" timeDependent="false">{declaration}'
        '<outcomeDeclaration identifier="SCORE" cardinality="single" baseType="float"/>'
        f"<itemBody>{body}</itemBody></assessmentItem>"
    )


CHOICE = item(
    "q-choice",
    "主轴",
    '<responseDeclaration identifier="RESPONSE" cardinality="single" baseType="identifier">'
    "<correctResponse><value>B</value></correctResponse></responseDeclaration>",
    '<p>数控车床的主轴是哪根轴？</p><choiceInteraction responseIdentifier="RESPONSE" '
    'shuffle="false" maxChoices="1"><simpleChoice identifier="A">X</simpleChoice>'
    '<simpleChoice identifier="B">Z</simpleChoice></choiceInteraction>',
)
MULTIPLE = item(
    "q-multiple",
    "防护用品",
    '<responseDeclaration identifier="RESPONSE" cardinality="multiple" baseType="identifier">'
    "<correctResponse><value>A</value><value>C</value></correctResponse></responseDeclaration>",
    '<choiceInteraction responseIdentifier="RESPONSE" shuffle="true" maxChoices="0">'
    "<prompt>哪些是防护用品？</prompt>"
    '<simpleChoice identifier="A">护目镜</simpleChoice>'
    '<simpleChoice identifier="B">手套</simpleChoice>'
    '<simpleChoice identifier="C">安全鞋</simpleChoice></choiceInteraction>',
)
TRUE_FALSE = item(
    "q-tf",
    "卡盘钥匙",
    '<responseDeclaration identifier="RESPONSE" cardinality="single" baseType="identifier">'
    "<correctResponse><value>F</value></correctResponse></responseDeclaration>",
    "<p>卡盘钥匙可以留在卡盘上。</p>"
    '<choiceInteraction responseIdentifier="RESPONSE" maxChoices="1">'
    '<simpleChoice identifier="T">正确</simpleChoice>'
    '<simpleChoice identifier="F">错误</simpleChoice></choiceInteraction>',
)
TEXT_ENTRY = item(
    "q-text",
    "单位",
    '<responseDeclaration identifier="RESPONSE" cardinality="single" baseType="string">'
    "<correctResponse><value>毫米</value></correctResponse>"
    '<mapping defaultValue="0"><mapEntry mapKey="毫米" mappedValue="1"/>'
    '<mapEntry mapKey="mm" mappedValue="1"/></mapping></responseDeclaration>',
    '<p>图纸上的尺寸默认单位是 <textEntryInteraction responseIdentifier="RESPONSE" '
    'expectedLength="4"/>。</p>',
)
MATCH = item(
    "q-match",
    "刀具用途",
    '<responseDeclaration identifier="RESPONSE" cardinality="multiple" baseType="directedPair">'
    "<correctResponse><value>L1 R2</value><value>L2 R1</value><value>L3 R3</value>"
    "</correctResponse></responseDeclaration>",
    '<matchInteraction responseIdentifier="RESPONSE" shuffle="true" maxAssociations="3">'
    "<prompt>把刀具和用途配对。</prompt><simpleMatchSet>"
    '<simpleAssociableChoice identifier="L1" matchMax="1">外圆车刀</simpleAssociableChoice>'
    '<simpleAssociableChoice identifier="L2" matchMax="1">切断刀</simpleAssociableChoice>'
    '<simpleAssociableChoice identifier="L3" matchMax="1">螺纹车刀</simpleAssociableChoice>'
    "</simpleMatchSet><simpleMatchSet>"
    '<simpleAssociableChoice identifier="R1" matchMax="1">切断工件</simpleAssociableChoice>'
    '<simpleAssociableChoice identifier="R2" matchMax="1">车外圆</simpleAssociableChoice>'
    '<simpleAssociableChoice identifier="R3" matchMax="1">车螺纹</simpleAssociableChoice>'
    "</simpleMatchSet></matchInteraction>",
)
HOTSPOT = item(
    "q-hotspot",
    "找到急停按钮",
    '<responseDeclaration identifier="RESPONSE" cardinality="single" baseType="identifier">'
    "<correctResponse><value>H1</value></correctResponse></responseDeclaration>",
    '<hotspotInteraction responseIdentifier="RESPONSE" maxChoices="1">'
    "<prompt>点出急停按钮。</prompt>"
    '<object type="image/png" data="panel.png" width="200" height="100"/>'
    '<hotspotChoice identifier="H1" shape="circle" coords="50,50,10"/></hotspotInteraction>',
)


def manifest(hrefs: list[str]) -> str:
    resources = "".join(
        f'<resource identifier="r{i}" type="imsqti_item_xmlv2p1" href="{href}">'
        f'<file href="{href}"/></resource>'
        for i, href in enumerate(hrefs)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" identifier="bank">'
        f"<organizations/><resources>{resources}</resources></manifest>"
    )


def package(items: dict[str, str], *, listed: list[str] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("imsmanifest.xml", manifest(listed if listed is not None else list(items)))
        for name, text in items.items():
            archive.writestr(name, text)
    return buffer.getvalue()


GOOD = {
    "items/choice.xml": CHOICE,
    "items/multiple.xml": MULTIPLE,
    "items/tf.xml": TRUE_FALSE,
    "items/text.xml": TEXT_ENTRY,
    "items/match.xml": MATCH,
}


# QTI 3.0: the same information model in the kebab-case binding of 1EdTech QTI 3.0.
NS3 = 'xmlns="http://www.imsglobal.org/xsd/imsqtiasi_v3p0"'


def item3(identifier: str, title: str, declaration: str, body: str) -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<qti-assessment-item {NS3} '
        f'identifier="{identifier}" title="{title}" adaptive="false" time-dependent="false">'
        f'{declaration}<qti-outcome-declaration identifier="SCORE" cardinality="single" '
        f'base-type="float"/><qti-item-body>{body}</qti-item-body></qti-assessment-item>'
    )


CHOICE3 = item3(
    "q3-choice",
    "进给",
    '<qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="identifier">'
    "<qti-correct-response><qti-value>A</qti-value></qti-correct-response>"
    "</qti-response-declaration>",
    "<p>车削时刀具沿工件轴线方向的运动叫什么？</p>"
    '<qti-choice-interaction response-identifier="RESPONSE" shuffle="false" max-choices="1">'
    '<qti-simple-choice identifier="A">纵向进给</qti-simple-choice>'
    '<qti-simple-choice identifier="B">横向进给</qti-simple-choice></qti-choice-interaction>',
)
TEXT_ENTRY3 = item3(
    "q3-text",
    "转速单位",
    '<qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="string">'
    "<qti-correct-response><qti-value>转/分</qti-value></qti-correct-response>"
    '<qti-mapping default-value="0"><qti-map-entry map-key="r/min" mapped-value="1"/>'
    "</qti-mapping></qti-response-declaration>",
    '<p>主轴转速的单位是 <qti-text-entry-interaction response-identifier="RESPONSE" '
    'expected-length="5"/>。</p>',
)
MATCH3 = item3(
    "q3-match",
    "量具用途",
    '<qti-response-declaration identifier="RESPONSE" cardinality="multiple" '
    'base-type="directedPair"><qti-correct-response><qti-value>L1 R2</qti-value>'
    "<qti-value>L2 R1</qti-value></qti-correct-response></qti-response-declaration>",
    '<qti-match-interaction response-identifier="RESPONSE" max-associations="2">'
    "<qti-prompt>把量具和用途配对。</qti-prompt><qti-simple-match-set>"
    '<qti-simple-associable-choice identifier="L1" match-max="1">游标卡尺'
    "</qti-simple-associable-choice>"
    '<qti-simple-associable-choice identifier="L2" match-max="1">螺纹规'
    "</qti-simple-associable-choice></qti-simple-match-set><qti-simple-match-set>"
    '<qti-simple-associable-choice identifier="R1" match-max="1">检查螺距'
    "</qti-simple-associable-choice>"
    '<qti-simple-associable-choice identifier="R2" match-max="1">测量外径'
    "</qti-simple-associable-choice></qti-simple-match-set></qti-match-interaction>",
)
ESSAY3 = item3(
    "q3-essay",
    "安全",
    '<qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="string"/>',
    '<qti-extended-text-interaction response-identifier="RESPONSE">'
    "<qti-prompt>说出开机前的三项检查。</qti-prompt></qti-extended-text-interaction>",
)
GOOD3 = {
    "items/choice.xml": CHOICE3,
    "items/text.xml": TEXT_ENTRY3,
    "items/match.xml": MATCH3,
    "items/essay.xml": ESSAY3,
}


def package3(items: dict[str, str]) -> bytes:
    """A QTI 3.0 content package: the manifest lists ``imsqti_item_xmlv3p0`` resources."""
    resources = "".join(
        f'<resource identifier="r{i}" type="imsqti_item_xmlv3p0" href="{href}">'
        f'<file href="{href}"/></resource>'
        for i, href in enumerate(items)
    )
    manifest3 = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest xmlns="http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1" identifier="bank3">'
        f"<organizations/><resources>{resources}</resources></manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("imsmanifest.xml", manifest3)
        for name, text in items.items():
            archive.writestr(name, text)
    return buffer.getvalue()
