"""An article's date as domestic news writes it, and `date:` on a real index of such
articles."""

from __future__ import annotations

import pytest

from search import Engine
from search.ingest.article_dates import article_dates
from search.ingest.passages import build_article

# One article per written form; each sentence is ours, in the register of domestic news.


ARTICLES = {
    "long": "Hà Nội, ngày 15 tháng 3 năm 2024 - Bộ Y tế họp với các bệnh viện tuyến cuối"
            " về tình trạng thiếu thuốc.",
    "dateline": "Hà Nội, ngày 16/3/2024 - Bộ Tài chính công bố số liệu thu ngân sách.\n"
                "Luật Quản lý thuế sửa đổi có hiệu lực từ ngày 1/7/2025.",
    "outlet": "(Chinhphu.vn) - Ngày 5/9/2023, Thủ tướng dự lễ khai giảng năm học mới.\n"
              "Bộ Giáo dục dự kiến điều chỉnh chương trình từ tháng 9/2024.",
    "morning": "Sáng 20/6, Quốc hội biểu quyết thông qua Luật Đất đai sửa đổi.\n"
               "Dự thảo luật đã được thảo luận tại kỳ họp tháng 5/2024.",
    "evening": "Tối 12-1, lễ hội pháo hoa quốc tế khai mạc bên bờ sông Hàn.\n"
               "Ban tổ chức cho biết công tác chuẩn bị bắt đầu từ tháng 10/2023.",
    "month": "Tháng 3 năm 2024, nhiều địa phương miền Bắc ghi nhận mưa trái mùa.",
    "quarter": "Trong quý IV/2023, tăng trưởng kinh tế đạt 6,72% so với cùng kỳ.",
    "quarter4": "Lợi nhuận sau thuế quý 4/2023 của doanh nghiệp tăng 15%.",
    "quarter1": "Vốn đầu tư nước ngoài quý I năm 2024 đạt gần 6,2 tỷ USD.",
    "half1": "Sáu tháng đầu năm 2024, thu ngân sách nhà nước ước đạt 1,06 triệu tỷ đồng.",
    "half2": "Kim ngạch xuất khẩu 6 tháng cuối năm 2023 phục hồi rõ rệt.",
    "halfnua": "Nửa đầu năm 2024, doanh số bán ô tô giảm hơn 10%.",
    "false": "Đội tuyển thắng 3-1, phiên bản 8.12 của ứng dụng ra mắt, 2/3 đại biểu tán thành,"
             " 175.000 người tham gia, đường dây nóng 0912.345.678, trẻ 10-12 tuổi.",
    "documents": "Nghị định 15/2024/NĐ-CP và Thông tư số 03/2024 quy định rõ trách nhiệm.",
}


def date_of(text: str) -> str | None:
    return article_dates(build_article("x", text))[0]


@pytest.mark.parametrize(
    ("name", "date"),
    [
        ("long", "2024-03-15"),
        ("dateline", "2024-03-16"),  # the dateline outranks the later date in the body
        ("outlet", "2023-09-05"),
        ("morning", "2024-06-20"),  # the year from the article's own evidence
        ("evening", "2024-01-12"),  # after "từ tháng 10/2023", January rolls over
        ("month", "2024-03"),
        ("quarter", "2023-Q4"),
        ("quarter4", "2023-Q4"),  # not April 2023
        ("quarter1", "2024-Q1"),
        ("half1", "2024-H1"),
        ("half2", "2023-H2"),
        ("halfnua", "2024-H1"),
        ("false", None),  # a score, a version, a fraction, a number, a phone, ages
        ("documents", None),  # document numbers carry a year, not a date
    ],
)
def test_article_date_from_each_form(name: str, date: str | None) -> None:
    assert date_of(ARTICLES[name]) == date


def test_yearless_day_month_needs_a_cue_or_the_dateline() -> None:
    # the same "20/6" is a date after "ngày", not as a bare fraction-like pair
    assert date_of("Kết quả 20/6 được công bố trong tháng 7/2024.") == "2024-07"
    assert date_of("Cuộc họp ngày 20/6 được nhắc lại trong tháng 5/2024.") == "2024-06-20"
    # without any year in the article, a dateline day stays unknown: never guessed
    assert date_of("Sáng 20/6, Quốc hội biểu quyết.") is None


def test_dateline_forms_in_nfd_and_capitals() -> None:
    import unicodedata

    text = "Hà Nội, ngày 15 tháng 3 năm 2024 - Bộ Y tế họp."
    assert date_of(unicodedata.normalize("NFD", text)) == "2024-03-15"
    assert date_of("HÀ NỘI, ngày 15/3/2024 - Bộ Y tế họp.") == "2024-03-15"
    assert date_of("TP.HCM, ngày 15/3/2024 - Sở Y tế họp.\nHạn chót là ngày 30/6/2024.") \
        == "2024-03-15"
    assert date_of("TPO - Chiều 3/9, lễ diễu binh.\nBuổi tổng duyệt diễn ra tháng 8/2023.") \
        == "2023-09-03"
    # a lowercase clause before a comma is not a place: "trận đấu, 3-1" is a score
    assert date_of("Kết thúc trận đấu, 3-1 cho đội khách.\nGiải khởi tranh tháng 2/2024.") \
        == "2024-02"


def test_long_form_with_a_header_refines_it() -> None:
    text = "date 2024-03\nHà Nội, ngày 15 tháng 3 năm 2024 - Bộ Y tế họp."
    assert date_of(text) == "2024-03-15"
    # a dateline that contradicts the header does not override it
    assert date_of("date 2024-04\nNgày 15/3/2024, Bộ Y tế họp.") == "2024-04"


@pytest.fixture(scope="module")
def dated(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("dates")
    docs = root / "docs"
    docs.mkdir()
    for name, text in ARTICLES.items():
        (docs / f"{name}.txt").write_text(text + "\n", encoding="utf-8")
    with Engine.build(root / "ix", [docs]) as e:
        yield e


def arts(results) -> set[str]:
    return {h.article for h in results}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("date:2024-03-15", {"long"}),
        ("date:15/3/2024", {"long"}),
        ("date:2024-03-16", {"dateline"}),
        ("date:2023-09-05", {"outlet"}),
        ("date:2024-06-20", {"morning"}),
        ("date:2024-01-12", {"evening"}),
        ("date:2024-03", {"long", "dateline", "month"}),
        ("date:2023-Q4", {"quarter", "quarter4"}),
        ("date:[2023-10-01 TO 2023-12-31]", {"quarter", "quarter4"}),
        ("date:2024-H1", {"long", "dateline", "month", "morning", "evening", "quarter1", "half1",
                          "halfnua"}),
        ("date:2023-H2", {"outlet", "quarter", "quarter4", "half2"}),
    ],
)
def test_date_filter_on_each_form(dated: Engine, query: str, expected: set[str]) -> None:
    assert arts(dated.search(f"{query} date:[* TO *]", limit=100)) == expected


def test_a_quarter_is_not_inside_one_of_its_months(dated: Engine) -> None:
    # an article known only as 2023-Q4 matches 2023 and the quarter, not December
    assert "quarter" in arts(dated.search("date:2023", limit=100))
    assert "quarter" not in arts(dated.search("date:2023-12", limit=100))


def test_unknown_dates_match_no_date_filter(dated: Engine) -> None:
    assert {"false", "documents"} & arts(dated.search("date:[* TO *]", limit=100)) == set()


def test_the_long_form_found_by_text_and_by_date(dated: Engine) -> None:
    assert "long" in arts(dated.search("15 tháng 3 năm 2024", limit=100))
    assert "long" in arts(dated.search('"ngày 15 tháng 3 năm 2024"', limit=100))
    assert arts(dated.search("Bộ Y tế date:2024-03-15", limit=100)) == {"long"}
