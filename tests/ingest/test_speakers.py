"""Each rule of issue 17, as a table: an article's passages -> the speakers of each.

The sentences are written for these tests in the register of Vietnamese news;
``attribute`` runs the real analysis (pyvi) on them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from commands import cli

from search import Engine
from search.ingest.annotate import NameRegistry
from search.ingest.mentions import name_of
from search.ingest.speakers import attribute

CASES = {
    # 1. Vietnamese names: 2-4 syllables, never cut, never glued to what precedes
    "names": (
        ["Thủ tướng Phạm Minh Chính cho biết Chính phủ sẽ điều hành linh hoạt.",
         "Tổng Bí thư Tô Lâm nhấn mạnh yêu cầu chống lãng phí.",
         "Phó Chủ tịch Quốc hội Nguyễn Thị Thanh nêu rõ thời hạn trình dự án luật.",
         "Bà Lê Thị Thu Hằng khẳng định Việt Nam hoan nghênh đề xuất này."],
        [["Phạm Minh Chính"], ["Tô Lâm"], ["Nguyễn Thị Thanh"], ["Lê Thị Thu Hằng"]]),
    # 2. short forms: the given name, East Asian family names, Western surnames
    "short forms": (
        ["Bộ trưởng Bộ Công Thương Nguyễn Hồng Diên chủ trì cuộc họp.",
         "Ông Diên cho biết sẽ bảo đảm đủ xăng dầu cho thị trường.",
         "Thủ tướng Nhật Bản Kishida Fumio đến Hà Nội chiều qua.",
         "Ông Kishida khẳng định Nhật Bản ủng hộ Việt Nam phát triển hạ tầng.",
         "Chủ tịch Trung Quốc Tập Cận Bình gửi điện mừng. Ông Tập nói quan hệ hai nước "
         "đang tốt đẹp.",
         "Tổng thống Hàn Quốc Yoon Suk Yeol nói chuyện với báo chí. Ông Yoon cho rằng hai "
         "nước là đối tác then chốt.",
         "Ngoại trưởng Nga Sergei Lavrov đến Bắc Kinh. Lavrov tuyên bố Moscow sẵn sàng đối thoại."],
        [[], ["Nguyễn Hồng Diên"], [], ["Kishida Fumio"], ["Tập Cận Bình"], ["Yoon Suk Yeol"],
         ["Sergei Lavrov"]]),
    # 3. titles before the name, long offices with "và" and " - " included
    "titles": (
        ["Bộ trưởng Bộ Kế hoạch và Đầu tư Nguyễn Chí Dũng cho hay vốn FDI tăng 10%.",
         "Bộ trưởng Bộ Lao động - Thương binh và Xã hội Đào Ngọc Dung nhận định thị trường "
         "lao động phục hồi.",
         "Thống đốc Ngân hàng Nhà nước Nguyễn Thị Hồng khẳng định tỷ giá được giữ ổn định.",
         "Chủ tịch UBND TP Hà Nội Trần Sỹ Thanh yêu cầu các quận xử lý dứt điểm điểm ngập.",
         "Đại tướng Phan Văn Giang phát biểu bế mạc hội nghị.",
         "Giám đốc Sở Y tế Hà Nội Trần Thị Nhị Hà cho biết thành phố đủ vắc xin."],
        [["Nguyễn Chí Dũng"], ["Đào Ngọc Dung"], ["Nguyễn Thị Hồng"], ["Trần Sỹ Thanh"],
         ["Phan Văn Giang"], ["Trần Thị Nhị Hà"]]),
    # 4. an office in apposition after the name: the person, not the institution
    "appositives": (
        ['"Giá điện sẽ được điều chỉnh từng bước", ông Nguyễn Văn Sinh, Thứ trưởng Bộ Công '
         'Thương, khẳng định.',
         "Bà Phạm Thanh Hà, Phó Thống đốc Ngân hàng Nhà nước, cho hay lãi suất đã giảm.",
         "Anh Lê Văn Tâm (35 tuổi, ở Hải Phòng), tài xế xe tải, kể anh chờ ở cảng hai ngày.",
         "Ông Nguyễn Văn Quang - Giám đốc Sở Giao thông vận tải Hà Nội - cho biết sẽ phân luồng."],
        [["Nguyễn Văn Sinh"], ["Phạm Thanh Hà"], ["Lê Văn Tâm"], ["Nguyễn Văn Quang"]]),
    # 5. academic and professional prefixes, honorifics
    "prefixes": (
        ["PGS.TS Trần Đắc Phu khuyến cáo người dân không chủ quan.",
         "GS.TSKH Đặng Hùng Thắng nhận định đề thi năm nay vừa sức.",
         "ThS. Nguyễn Thu Hà cho rằng trẻ cần ngủ đủ giấc.",
         "BS. Lê Quang Vinh chia sẻ bệnh viện đã quá tải.",
         "NSƯT Thanh Hương tâm sự vai diễn rất khó.",
         "Cụ Nguyễn Văn Tư kể làng đã đổi khác nhiều."],
        [["Trần Đắc Phu"], ["Đặng Hùng Thắng"], ["Nguyễn Thu Hà"], ["Lê Quang Vinh"],
         ["Thanh Hương"], ["Nguyễn Văn Tư"]]),
    # 6. a title alone: the latest holder named in the article; nobody named: as written
    "title back-references": (
        ["Chiều 5/3, Thủ tướng Phạm Minh Chính làm việc với tỉnh Long An.",
         '"Không để doanh nghiệp phải chờ đợi", Thủ tướng nhấn mạnh.',
         "Bộ trưởng Bộ Y tế Đào Hồng Lan dự buổi làm việc.",
         "Người đứng đầu ngành y tế cho biết sẽ bổ sung thuốc cho tuyến huyện.",
         "Thống đốc nói lãi suất sẽ còn giảm."],
        [[], ["Phạm Minh Chính"], [], ["Đào Hồng Lan"], ["Thống đốc"]]),
    # 7. institutions speak
    "institutions": (
        ["Bộ Y tế cho biết đã cấp phép thêm ba loại thuốc.",
         "Tổng cục Thống kê cho biết CPI tháng 5 tăng 0,3%.",
         "UBND tỉnh Quảng Ninh thông tin đã mở lại các tuyến du lịch biển.",
         "Công an TP.HCM cho hay đã bắt giữ nhóm lừa đảo.",
         "Đại diện Bộ Tài chính cho biết thu ngân sách vượt dự toán.",
         "Bộ Tài nguyên và Môi trường cảnh báo nguy cơ sạt lở."],
        [["Bộ Y tế"], ["Tổng cục Thống kê"], ["UBND tỉnh Quảng Ninh"], ["Công an TP.HCM"],
         ["Bộ Tài chính"], ["Bộ Tài nguyên và Môi trường"]]),
    # 8. reporting verbs of domestic news; "đề nghị" as a noun; the delegation in brackets
    "verbs": (
        ["Đại biểu Nguyễn Anh Trí (đoàn Hà Nội) cho rằng cần tăng chi cho y tế dự phòng.",
         "Ông Hoàng Văn Cường đề nghị sửa quy định về định giá đất.",
         "Theo đề nghị của Bộ Tài chính, thời hạn nộp thuế được gia hạn.",
         "Các đề nghị này sẽ được Chính phủ xem xét.",
         "Thủ tướng Phạm Minh Chính chỉ đạo các bộ khẩn trương hoàn thiện nghị định.",
         "Bộ Y tế khuyến cáo người dân tiêm vắc xin đúng lịch.",
         "Anh Trần Văn Nam kể lại chuyến đi biển.",
         "Kể từ tháng 3, Ông Nguyễn Văn An triển khai dự án mới."],
        [["Nguyễn Anh Trí"], ["Hoàng Văn Cường"], [], [], ["Phạm Minh Chính"], ["Bộ Y tế"],
         ["Trần Văn Nam"], []]),
    # 9. mentions are not speech; photo captions never speak
    "no speech": (
        ["Bộ trưởng Tô Lâm đã tiếp Đại sứ Nhật Bản Yamada Takio.",
         "Thủ tướng chủ trì hội nghị trực tuyến với các địa phương.",
         "Thủ tướng Phạm Minh Chính phát biểu tại hội nghị. Ảnh: VGP/Nhật Bắc",
         "Bộ trưởng Hồ Đức Phớc trả lời chất vấn. (Ảnh: Quochoi.vn)",
         "Tất cả đều khẳng định sẽ tuân thủ quy định.",  # nobody in particular
         "Nhiều chuyên gia cho rằng lãi suất sẽ giảm."],
        [[], [], [], [], [], []]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_each_rule(case: str) -> None:
    passages, want = CASES[case]
    assert attribute(passages) == want


@pytest.mark.parametrize(
    ("run", "name"),
    [
        ("Thủ tướng Phạm Minh Chính", "Phạm Minh Chính"),  # never "Phạm Minh"
        ("Tổng Bí thư Nguyễn Phú Trọng", "Nguyễn Phú Trọng"),  # the title is not kept
        ("Bộ trưởng Bộ Kế hoạch và Đầu tư Nguyễn Chí Dũng", "Nguyễn Chí Dũng"),
        ("Chủ tịch UBND tỉnh Lâm Đồng Trần Hồng Thái", "Trần Hồng Thái"),  # Lâm Đồng: a place
        ("Bí thư Thành ủy TP Hồ Chí Minh Nguyễn Văn Nên", "Nguyễn Văn Nên"),
        ("Chủ tịch Trung Quốc Tập Cận Bình", "Tập Cận Bình"),
        ("Thủ tướng Nhật Bản Kishida Fumio", "Kishida Fumio"),
        ("Bộ Lao động - Thương binh và Xã hội", "Bộ Lao động - Thương binh và Xã hội"),
        ("UBND tỉnh Quảng Ninh", "UBND tỉnh Quảng Ninh"),
    ],
)
def test_names_are_whole_and_bare(run: str, name: str) -> None:
    assert name_of(run) == name


def test_pronouns_follow_the_sex_of_the_honorific() -> None:
    passages = ["Bà Nguyễn Thị Lan, Giám đốc Sở Tài chính, và ông Trần Văn Hải, Giám đốc Sở Xây "
                "dựng, cùng dự họp.", "Bà cho biết ngân sách đã bố trí đủ vốn.",
                "Ông thì cho rằng cần đẩy nhanh giải phóng mặt bằng."]
    assert attribute(passages)[1:] == [["Nguyễn Thị Lan"], ["Trần Văn Hải"]]


def test_corpus_wide_short_forms_are_persons_only() -> None:
    registry = NameRegistry(["Bộ Ngoại giao Nga", "Tập Cận Bình", "Vladimir Putin",
                             "Phạm Minh Chính", "Nguyễn Văn Chính"])
    # a country is not an institution's last word; an East Asian family name comes first;
    # a Vietnamese given name is shared by too many people to be resolved corpus-wide
    assert registry.resolve(["Nga", "Tập", "Putin", "Chính"]) == (
        "Nga", "Tập Cận Bình", "Vladimir Putin", "Chính")


@pytest.fixture(scope="module")
def domestic_index(tmp_path_factory: pytest.TempPathFactory):
    folder = Path(__file__).parents[1] / "data" / "attribution"
    with Engine.build(tmp_path_factory.mktemp("attribution-index"), [folder]) as e:
        yield e


def test_speakers_lists_canonical_names_with_short_forms_merged(domestic_index: Engine) -> None:
    """10. ``vnsearch speakers``: "ông Chính", "Thủ tướng", "ông Kim", "Wong" are
    counted under the full names they stand for, and never listed themselves."""
    out = cli("--index", str(domestic_index.path), "speakers", "--format", "json")
    assert out.returncode == 0, out.stderr
    rows = {r["name"]: r["passages"] for r in json.loads(out.stdout)["speakers"]}
    assert rows["Phạm Minh Chính"] == 2  # "Thủ tướng Phạm Minh Chính …", "Ông Chính …"
    assert rows["Kim Sang-sik"] == 2  # "Huấn luyện viên Kim Sang-sik", "ông Kim"
    assert rows["Lawrence Wong"] == 2  # "Thủ tướng Lawrence Wong", "Wong"
    assert rows["Nguyễn Kim Sơn"] == 3  # "Theo ông Sơn", "Bộ trưởng nhấn mạnh"
    for short in ("Chính", "Kim", "Wong", "Sơn", "Thủ tướng", "Bộ trưởng", "Thứ trưởng"):
        assert short not in rows
    hits = domestic_index.search('speaker:"Phạm Minh Chính"', limit=10)
    assert {(h.article, h.passage) for h in hits} == {("a06_ly_cuong", 4), ("a06_ly_cuong", 5)}


@pytest.mark.parametrize("passages,want", [
    # the office written out, its holder named with the one-word office
    (["Ngoại trưởng Nga Sergei Lavrov đến Hà Nội chiều qua.",
      "Bộ trưởng Ngoại giao Liên bang Nga cho biết hai bên sẽ ký ba văn kiện."],
     [[], ["Sergei Lavrov"]]),
    # and the reverse: the holder named with the office written out
    (["Bộ trưởng Ngoại giao Bùi Thanh Sơn đón đoàn tại sân bay.",
      "Ngoại trưởng khẳng định quan hệ hai nước đang ở mức tốt nhất."],
     [[], ["Bùi Thanh Sơn"]]),
    # a spokesperson under either name
    (["Phát ngôn viên Bộ Ngoại giao Phạm Thu Hằng chủ trì buổi họp báo thường kỳ.",
      "Người phát ngôn Bộ Ngoại giao khẳng định lập trường của Việt Nam không thay đổi."],
     [[], ["Phạm Thu Hằng"]]),
    # one country under two names
    (["Ngoại trưởng Mỹ Antony Blinken tới Bắc Kinh.",
      "Ngoại trưởng Hoa Kỳ nhấn mạnh kênh đối thoại cần được duy trì."],
     [[], ["Antony Blinken"]]),
])
def test_an_office_is_held_under_either_of_its_names(passages: list[str],
                                                      want: list[list[str]]) -> None:
    """``Ngoại trưởng`` = ``Bộ trưởng Ngoại giao``, ``Nga`` = ``Liên bang Nga``: the
    press writes one office and one country both ways within an article."""
    assert attribute(passages) == want


def test_the_office_of_a_city_is_a_title_not_a_place() -> None:
    """``Chủ tịch TP Hà Nội`` speaks as an office (``TP Hà Nội`` is no one), and a
    directive's object (``yêu cầu các quận báo cáo``) is no role that speaks."""
    assert attribute(["Chủ tịch TP Cần Thơ đã chỉ đạo Sở Y tế rà soát mọi bệnh viện."]) == [
        ["Chủ tịch TP Cần Thơ"]]
    assert attribute(["Chủ tịch UBND TP Đà Nẵng Lê Văn Hùng đi thị sát khu cách ly.",
                      "Chủ tịch TP Đà Nẵng yêu cầu các quận báo cáo trước ngày 5/3."]) == [
        [], ["Chủ tịch TP Đà Nẵng"]]
    assert attribute(["Chủ tịch TP Huế Nguyễn Văn Phương cho biết thành phố đã đủ thuốc."]) == [
        ["Nguyễn Văn Phương"]]
