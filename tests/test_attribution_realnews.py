"""Speaker attribution on real news (issue 25): each kind of construction the real
pages use, as small articles written for these tests, then the real-news set itself.

The sentences below are written for this file in the register of Vietnamese news;
``attribute`` runs the real analysis (pyvi) on them. The set in
tests/data/realnews is scored by bench/attribution_realnews.py, as the seeds are.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from search import Engine
from search.ingest.abbreviations import forms
from search.ingest.speakers import attribute

ROOT = Path(__file__).resolve().parents[1]

KINDS = {
    # a pronoun or a title as subject, the person named in an earlier paragraph
    "back-references": (
        ["Bộ trưởng Bộ Y tế Đào Hồng Lan đến thăm Bệnh viện Bạch Mai sáng qua.",
         "Bà khẳng định ngành y tế đủ thuốc cho mùa dịch.",
         "Bộ trưởng cũng yêu cầu các bệnh viện báo cáo hằng tuần."],
        [[], ["Đào Hồng Lan"], ["Đào Hồng Lan"]]),
    "a role for the latest person": (
        ["HLV Park Hang-seo dẫn dắt đội tuyển từ năm 2017.",
         '"Các cầu thủ đã chơi rất tốt", nhà cầm quân người Hàn Quốc nói.',
         "Theo chiến lược gia người Hàn Quốc, đội cần thêm thời gian."],
        [[], ["Park Hang-seo"], ["Park Hang-seo"]]),
    # attribution after the quote or as a noun phrase
    "post-quote and noun phrases": (
        ['"Chúng tôi sẽ không lùi bước". Đó là chia sẻ của HLV Mai Đức Chung sau trận.',
         '"Lãi suất sẽ còn giảm trong quý tới."',
         "Đó là nhận định của PGS.TS Lê Văn Hòa tại hội thảo.",
         "Phát biểu tại buổi lễ, Chủ tịch UBND tỉnh Nguyễn Văn Hưởng ghi nhận nỗ lực của "
         "ngành giáo dục.",
         "Trong phần phát biểu chỉ đạo, Phó Thống đốc Đào Minh Tú ghi nhận kết quả năm qua.",
         "Theo ông Hưởng, tỉnh sẽ dành thêm vốn cho trường học.",
         "Cũng theo ông Hưởng, việc giải ngân sẽ xong trong quý III."],
        [["Mai Đức Chung"], ["Lê Văn Hòa"], ["Lê Văn Hòa"], ["Nguyễn Văn Hưởng"],
         ["Đào Minh Tú"], ["Nguyễn Văn Hưởng"], ["Nguyễn Văn Hưởng"]]),
    # interview and headline forms: a name, a colon, the words
    "colon forms": (
        ["PGS.TS Lê Văn Hòa: Lãi suất sẽ còn giảm.",
         "* HLV Kiatisak (U.23 Thái Lan): Tôi hài lòng với các cầu thủ.",
         "Theo tôi, đội vẫn còn nhiều việc phải làm.",
         'Ông Trần Văn Sơn trấn an người dân: "Nước sẽ rút trong hai ngày tới".',
         "2. Lê Văn Tám (cựu Giám đốc Công ty X, 50 tuổi): 7-8 năm tù."],
        [["Lê Văn Hòa"], ["Kiatisak"], ["Kiatisak"], ["Trần Văn Sơn"], []]),
    # a quotation over two paragraphs has one speaker
    "quotations over paragraphs": (
        ['HLV Vũ Tiến Thành chia sẻ sau trận: "Các cầu thủ đã cố gắng hết sức.',
         'Chúng tôi sẽ chuẩn bị tốt hơn cho trận tới".',
         "“Đây là chiến thắng của cả tập thể. Tôi cảm ơn người hâm mộ.",
         "Chúng tôi sẽ còn tiến bộ”, HLV Lê Huỳnh Đức nói.",
         "Bên thắng trận, HLV Petrovic không hài lòng với tiền đạo của mình.",
         '"Cậu ấy đã bỏ lỡ quá nhiều cơ hội."'],
        [["Vũ Tiến Thành"], ["Vũ Tiến Thành"], ["Lê Huỳnh Đức"], ["Lê Huỳnh Đức"], [],
         ["Petrovic"]]),
    # abbreviations and their full names as one speaker
    "abbreviations": (
        ["VKSND TP.HCM truy tố 12 bị can trong vụ án.",
         "Tại phiên tòa, đại diện VKS đề nghị mức án từ 3 đến 5 năm tù.",
         "Thứ trưởng Bộ GD&ĐT Phạm Ngọc Thưởng cho biết đề thi đã được in xong."],
        [[], ["VKSND TP.HCM"], ["Phạm Ngọc Thưởng"]]),
    # people outside politics: coaches, players by given name, artists, analysts
    "sport and culture": (
        ["Tiến Linh cho biết anh rất vui khi ghi bàn.",
         "NSND Hồng Vân chia sẻ cô xúc động khi xem lại bộ phim.",
         "Đạo diễn Trần Thanh Huy cho biết phim sẽ ra rạp vào tháng 5.",
         "Ông Trần Văn Nam, chuyên gia phân tích của Công ty Chứng khoán SSI, nhận định thị "
         "trường sẽ hồi phục."],
        [["Tiến Linh"], ["Hồng Vân"], ["Trần Thanh Huy"], ["Trần Văn Nam"]]),
    # foreign names with Latin diacritics, Korean and Japanese names
    "foreign names": (
        ["Tổng thống Timor-Leste José Ramos-Horta cho biết nước này muốn sớm gia nhập ASEAN.",
         "Thủ tướng Pháp François Bayrou nói chính phủ sẽ cắt giảm chi tiêu.",
         "Thủ tướng Nhật Bản Ishiba Shigeru khẳng định Tokyo coi trọng quan hệ với Hà Nội.",
         "HLV Kim Sang-sik cho biết đội tuyển đã sẵn sàng."],
        [["José Ramos-Horta"], ["François Bayrou"], ["Ishiba Shigeru"], ["Kim Sang-sik"]]),
    # several speakers in one passage
    "several speakers": (
        ["Bộ trưởng Bộ Y tế Đào Hồng Lan cho biết, theo khuyến cáo của Tổ chức Y tế Thế "
         "giới, người dân nên tiêm nhắc lại.",
         "NSND Kim Xuân và NSND Hồng Vân cùng nhấn mạnh giá trị của tình thân."],
        [["Đào Hồng Lan", "Tổ chức Y tế Thế giới"], ["Kim Xuân", "Hồng Vân"]]),
    # a mission abroad is named by where it sits; two institutions joined by "và" both speak
    "institutions in full": (
        ["Theo Tổng Lãnh sự quán Việt Nam tại Osaka, chưa có công dân nào bị thương.",
         "Đại sứ quán Việt Nam tại Hàn Quốc khuyến cáo người lao động không ra ngoài.",
         "Sở Y tế Nghệ An và TTYT TP.Vinh đã thông tin về ca bệnh mới."],
        [["Tổng Lãnh sự quán Việt Nam tại Osaka"], ["Đại sứ quán Việt Nam tại Hàn Quốc"],
         ["Sở Y tế Nghệ An", "TTYT TP.Vinh"]]),
    # an office placed by its province after a comma, before the verb
    "an office and its province": (
        ["Bà Lê Thị Hoa- Chủ tịch UBND huyện Mường Lát, tỉnh Thanh Hóa cho biết đường đã "
         "thông.",
         "Ông Đỗ Văn Tâm, Giám đốc Sở Nông nghiệp, tỉnh An Giang khẳng định lúa được mùa."],
        [["Lê Thị Hoa"], ["Đỗ Văn Tâm"]]),
    # a report's source named as "Trong báo cáo của X,"; the one an outlet quotes speaks
    "a report's source and the one quoted": (
        ["Trong báo cáo của Bộ Tài chính, thu ngân sách tháng 5 tăng 12%.",
         "Trong báo cáo gửi Thủ tướng, Bộ Xây dựng đề xuất giảm lệ phí.",
         "Báo Lao Động trích lời ông Hoàng Văn Lộc, Giám đốc Sở Y tế, cho biết bệnh nhân đã "
         "xuất viện."],
        [["Bộ Tài chính"], ["Bộ Xây dựng"], ["Hoàng Văn Lộc"]]),
    # a former holder does not answer to the bare title; a coach's nickname, a club's member
    "former holders and roles": (
        ["Chủ tịch nước Lương Cường tiếp nguyên Chủ tịch nước Trương Tấn Sang.",
         "Chủ tịch nước khẳng định đóng góp của các bậc tiền bối rất lớn.",
         "HLV Nguyễn Văn Sỹ đưa đội lên hạng. Thuyền trưởng đội bóng đất Cảng nhận định: "
         "\"Chúng tôi sẽ trụ hạng\".",
         "Tiền vệ Trần Văn Kiên ghi bàn phút cuối. Theo cầu thủ CLB Hải Phòng, anh chỉ làm "
         "đúng việc của mình."],
        [[], ["Lương Cường"], ["Nguyễn Văn Sỹ"], ["Trần Văn Kiên"]]),
    # the one right after a closing quotation mark said it, whatever the verb
    "after the quotation": (
        ["Tuyển nữ Việt Nam thua Nhật Bản 0-3 tối qua.",
         "\"Các cầu thủ đã chơi với tất cả sức lực, tôi không thể đòi hỏi hơn\", HLV Mai Đức "
         "Chung mở đầu buổi họp báo.",
         "Trận đấu có hai nghìn khán giả.",
         "“Mùa gặt”, phim của đạo diễn Lê Văn Kiên, được trao giải."],
        [[], ["Mai Đức Chung"], [], []]),
    # what stands between a subject and its verb: a time, a gesture, an apposition
    "between the subject and the verb": (
        ["Như Ngân hàng Thế giới hồi giữa tháng 5 dự báo, GDP sẽ tăng 6%.",
         "Được hỏi về chuyện này, ông Đặng Văn Lâm bật cười và nói: \"Tôi chưa nghĩ tới\".",
         "NSƯT Minh Hằng và NSND Lan Hương, cùng quan điểm với đạo diễn, đều nhấn mạnh "
         "giá trị của gia đình.",
         "Bà Lê Thị Mai dành lời khen cho các diễn viên trẻ."],
        [["Ngân hàng Thế giới"], ["Đặng Văn Lâm"], ["Minh Hằng", "Lan Hương"], ["Lê Thị Mai"]]),
    # a title alone whose holder the article names only later
    "a title named later": (
        ["Thư ký báo chí Nhà Trắng nói rằng Tổng thống sẽ không tới dự hội nghị.",
         "Trong buổi họp báo, người phát ngôn Nhà Trắng Karine Jean-Pierre cho biết lịch trình "
         "đã thay đổi."],
        [["Karine Jean-Pierre"], ["Karine Jean-Pierre"]]),
    # "đưa ra" and what is said; a speech given; an office between dashes; a purpose
    "statements as nouns": (
        ["Chuyên gia kinh tế Lê Văn Đạt thì đưa ra dự báo lạm phát năm sau dưới 4%.",
         "Bí thư Thành ủy Hoàng Văn Nam có bài phát biểu khai mạc hội nghị.",
         "Thủ tướng Nguyễn Văn Bình đến dự. Mở đầu phiên họp, người đứng đầu Chính phủ - "
         "Thủ tướng - nêu rõ yêu cầu tiết kiệm.",
         "Bộ Ngoại giao đã sắp xếp để Chủ tịch nước Trần Văn Long có bài phát biểu tại Liên "
         "hợp quốc."],
        [["Lê Văn Đạt"], ["Hoàng Văn Nam"], ["Nguyễn Văn Bình"], []]),
    # a second verb phrase of the sentence reports words: its subject opens the sentence
    "a second verb phrase": (
        ["Sáng 3/4, Sở Y tế Hà Nội gửi kết quả xét nghiệm tới báo chí, qua đó khẳng định "
         "không có ca nhiễm mới.",
         "Bộ trưởng Lê Minh Hoan thăm cánh đồng lúa, đồng thời yêu cầu ngành nông nghiệp hỗ "
         "trợ giống.",
         "Trong khi đó, nhiều doanh nghiệp giảm sản lượng, đồng thời đề nghị giãn thuế."],
        [["Sở Y tế Hà Nội"], ["Lê Minh Hoan"], []]),
    # round 4: a player or an artist named by the given name alone is someone a role
    # means later; a role nobody holds is not the one who holds another office
    "given names and roles": (
        ["HLV Lê Văn Tú khen ngợi các học trò sau trận.",
         "Quang Vinh chia sẻ rằng anh đã tập cú sút này nhiều lần.",
         'Tiền vệ sinh năm 2001 nói thêm: "Tôi chỉ làm đúng việc của mình".',
         "Theo vị lãnh đạo, đội sẽ đá tốt hơn ở trận tới."],
        [["Lê Văn Tú"], ["Quang Vinh"], ["Quang Vinh"], ["Lê Văn Tú"]]),
    # round 4: posts in a row after the name, a comrade, a dateline before "Theo",
    # initials of a foreign name, small words inside a foreign name, the eth for Đ
    "posts, datelines and spellings": (
        ["Đồng chí Hoàng Văn Minh - TUV, Giám đốc Sở Xây dựng cho biết dự án chậm.",
         "Ông Lý Văn Hải, Phó Bí thư Tỉnh ủy, Trưởng đoàn ĐBQH tỉnh, Chủ tịch HĐND tỉnh "
         "nhấn mạnh cần sớm tháo gỡ.",
         "(TTO)- Theo ông Đỗ Văn Khang, Phó Giám đốc Sở Y tế, số ca bệnh đã giảm.",
         "Cố vấn J.D. Harlow cho biết phái đoàn sẽ tới vào tuần sau.",
         "Số ca mắc đã giảm một nửa, theo dữ liệu của Our World in Data.",
         "Ðó là ý kiến của ông Võ Thành Ðạt tại buổi làm việc."],
        [["Hoàng Văn Minh"], ["Lý Văn Hải"], ["Đỗ Văn Khang"], ["J.D. Harlow"],
         ["Our World in Data"], ["Võ Thành Đạt"]]),
    # round 4: the one who acts for another speaks ("bào chữa cho"), a person of a team
    # or a firm speaks for himself; a role refers back to what the person was described as
    "for whom, of what": (
        ["Luật sư Ngô Văn Tài bào chữa cho bị cáo Lâm Văn Khải cho rằng chứng cứ chưa đủ.",
         "Với bị cáo Khải, luật sư cho rằng cần xem xét hoàn cảnh gia đình.",
         "Trong khi đó, HLV Đinh Văn Lực của Khánh Hòa cho biết đội đã chơi hết sức.",
         "Theo chia sẻ của nhà cầm quân người Khánh Hòa, hai cầu thủ bị chấn thương."],
        [["Ngô Văn Tài"], ["Ngô Văn Tài"], ["Đinh Văn Lực"], ["Đinh Văn Lực"]]),
    # round 4: an apposition whose closing comma was left out, the verb after its last
    # word (a lowercase office, a bracket, a firm's one-word name, a dash)
    "unclosed appositions": (
        ["Ông Đặng Văn Lộc, giám đốc Sở Lao động - thương binh và xã hội TP.HCM cho biết, "
         "theo dự báo, số lao động mất việc sẽ tăng.",
         "Chiều 2/3, Trung tá Vi Văn Cường, Trưởng Công an thành phố Sông Mây (Đồng Nai) cho "
         "biết đã bắt được nhóm đối tượng.",
         "Ông Tạ Quang Hưng, Tổng giám đốc VinaTel cho rằng giá cước đã xuống quá thấp.",
         "Bà Lương Thị Mai – Tổng giám đốc Công ty Lương Gia cho biết đơn hàng đã kín.",
         "Bà Trịnh Thu Hà, Tổng giám đốc Saigon Telecom cho biết đối tác đã rót vốn.",
         "Cựu Ngoại trưởng Hàn Quốc Ban Ki-moon sẽ rời chức Tổng thư ký Liên Hiệp Quốc.",
         '"Chiến tranh phải chấm dứt," ông nói.'],
        [["Đặng Văn Lộc"], ["Vi Văn Cường"], ["Tạ Quang Hưng"], ["Lương Thị Mai"],
         ["Trịnh Thu Hà"], [], ["Ban Ki-moon"]]),
    # round 4: a person named after a party, a club or an acronym; a school named after
    # a person stays a school; "lãnh đạo của X" speaks as X
    "names after an organisation": (
        ["Thủ tướng Kerry Lomax cam kết ổn định, còn lãnh đạo Đảng Bảo Thủ Oliver Strand "
         "kêu gọi bầu cử sớm.",
         "Reuters dẫn lời lãnh đạo đảng NLP Dermot Quill nói với báo giới.",
         "Trưởng đoàn bóng đá CLB SHB Lê Văn Tuấn Anh chia sẻ rằng đội không có áp lực.",
         "Một lãnh đạo của Trường THPT Nguyễn Du thông tin, trường còn 80 chỉ tiêu."],
        [["Kerry Lomax", "Oliver Strand"], ["Dermot Quill"], ["Lê Văn Tuấn Anh"],
         ["Trường THPT Nguyễn Du"]]),
    # round 4: a passive inside an apposition, a paragraph that ends with its photo's
    # credit, "X và nhiều đại biểu", "có những chia sẻ", a lead ending in a colon, a
    # foreign name after a quotation, a subject after a bracket and a comma
    "more constructions": (
        ["Lê Văn Toàn, người bị đề nghị án chung thân, nói mình đã hối hận.",
         "Chủ tịch UBND xã Đồng Tâm, ông Hồ Văn Lai cho biết, tối 16/8 có hàng trăm người dân "
         "kéo đến trụ sở xã để phản đối việc thu hồi đất. Ảnh: Minh Tâm",
         "Phó Chủ tịch Quốc hội Lò Văn Tám và nhiều đại biểu đồng tình rằng cần sửa luật.",
         "Sau đó Đinh Thu Hà có những chia sẻ khiến ai cũng bất ngờ.",
         "Theo đánh giá của TS. Vũ Đình Lâm - Thành viên Hội đồng tư vấn chính sách: lạm phát "
         "sẽ tăng.",
         "“Tôi đã chờ giây phút này suốt mười năm qua”, Tom Brandt, VĐV người Anh, chia sẻ "
         "với báo chí.",
         "Chỉ về phía bãi rác (rộng gần 1 ha), ông Hà Văn Lợi, một người dân ở đây bức xúc: "
         "“Mùi hôi không chịu nổi”."],
        [["Lê Văn Toàn"], ["Hồ Văn Lai"], ["Lò Văn Tám"], ["Đinh Thu Hà"], ["Vũ Đình Lâm"],
         ["Tom Brandt"], ["Hà Văn Lợi"]]),
    # round 4: a Korean name after an office ("Ban" is no institution before a hyphenated
    # name); a province's department with its lowercase words and its place; an answer
    # over several paragraphs whose middle ones report words of their own
    "departments, Korean names, long answers": (
        ["Tổng thư ký Liên Hợp quốc Ban Ki-moon kêu gọi các bên ngừng bắn.",
         "Theo thống kê của Sở Nông nghiệp và Phát triển nông thôn, tỉnh có 40 doanh nghiệp "
         "xuất khẩu.",
         "Sở Y tế TPHCM cho biết số ca sốt xuất huyết đã tăng gấp đôi.",
         "Trưởng đoàn Trần Văn Phúc chia sẻ: “Chúng tôi không có áp lực gì hết.",
         "Cho nên dù có chuyện gì, mong mọi người đừng đổ lỗi, tôi không đồng tình với cách "
         "nghĩ đó.",
         "Chúng tôi chỉ cố đá hết sức, dù sân nhà hay sân khách”."],
        [["Ban Ki-moon"], ["Sở Nông nghiệp và Phát triển nông thôn"], ["Sở Y tế TPHCM"],
         ["Trần Văn Phúc"], ["Trần Văn Phúc"], ["Trần Văn Phúc"]]),
    # round 4: a firm named bare is shown by the fuller name its article gives; a
    # person's other name in brackets is no second person
    "fuller names and aliases": (
        ["Công ty Vinamart thông báo bồi thường cho 3.000 khách hàng.",
         "Vinamart cho biết sẽ gửi tin nhắn hướng dẫn tới từng khách hàng.",
         "Đáng chú ý là ông Peter Lam (Lâm Quốc Bảo) – CEO VinaAI. Vị chuyên gia kể vì sao "
         "ông về nước.",
         "Ông cho biết muốn góp phần cho quê hương."],
        [["Công ty Vinamart"], ["Công ty Vinamart"], ["Peter Lam"], ["Peter Lam"]]),
    # a speaker is a person, an office or an institution; nothing else is shown
    "no false speakers": (
        ["Đường ống dẫn vốn vào nền kinh tế đang tắc nghẽn, theo các chuyên gia.",
         "Giám đốc Ban Quản lý đường sắt đô thị Hà Nội Phạm Văn Quân cho biết tuyến metro sẽ "
         "chạy thử vào tháng tới.",
         "Được hỏi về kế hoạch, ông Quân cho biết mọi việc đúng tiến độ.",
         "Theo Đài Sputnik, ông Putin sẽ tới Bắc Kinh vào tuần sau.",
         "Có 18 đại biểu Quốc hội phát biểu; Đại biểu đặt câu hỏi thẳng thắn.",
         "HLV Vũ Hồng Việt trả lời phỏng vấn sau trận",
         "Vụ việc đang được Công an tỉnh chỉ đạo làm rõ.",
         "PV: Ông Quân đánh giá thế nào về tiến độ dự án?",
         "Cách trả lời ấy của đội bạn khiến khán giả thất vọng.",
         "Đừng nói rằng mọi việc đã xong.",
         "Theo nguyên tắc ai khắc phục nhiều hơn thì được giảm nhẹ, ông Quân không bình luận.",
         "Theo Tuổi Trẻ, nhiều phụ huynh bất ngờ vì kết quả tuyển sinh.",
         "Bloomberg cho hay phe đối lập đòi bầu cử sớm.",
         "Sáng mai, đại biểu HĐND tỉnh Hải Dương sẽ đặt câu hỏi với bốn giám đốc sở.",
         "Lãnh đạo tỉnh Bắc Giang bác thông tin có ca tử vong không bệnh nền. Ảnh: FB",
         "Chủ tịch Quốc hội Vương Đình Huệ phát biểu về thông tin và truyền thông"],
        [[], ["Phạm Văn Quân"], ["Phạm Văn Quân"], [], [], [], [], [], [], [], [], [], [], [],
         [], []]),
}


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_kind_of_real_news(kind: str) -> None:
    passages, want = KINDS[kind]
    assert [sorted(s) for s in attribute(passages)] == [sorted(w) for w in want]


def test_an_interview_answers_by_whom_the_title_names() -> None:
    title = "Lan Phương kể chuyện đóng phim truyền hình"
    passages = ["- Chị có định dành nhiều thời gian hơn cho sân khấu?",
                "Tôi vẫn muốn gắn bó với nhà hát, phim chỉ là việc làm thêm.",
                "- Vai diễn nào chị mong được thử sức?",
                "Tôi muốn đóng một vai phản diện."]
    assert attribute(passages, title) == [[], ["Lan Phương"], [], ["Lan Phương"]]


def test_an_answer_over_several_paragraphs_is_the_interviewee_s() -> None:
    """The answer goes on paragraph by paragraph while it speaks in the first person, even
    when "tôi" comes late in the paragraph; the next question ends it."""
    title = "Minh Thư, cô giáo vùng cao, kể chuyện bám bản"
    passages = ["- Điều gì giữ chị ở lại điểm trường suốt mười năm?",
                "Có lẽ vì học trò, các em ở đây rất ngoan và tôi thương các em.",
                "Mỗi mùa mưa đường lầy lội, nhưng sáng nào tôi cũng thấy các em đến đủ.",
                "- Chị có dự định gì cho năm học mới?",
                "Bản có thêm một lớp mẫu giáo."]
    assert attribute(passages, title) == [[], ["Minh Thư"], ["Minh Thư"], [], []]


def test_the_title_names_whom_the_passages_refer_to() -> None:
    title = "Ngân hàng Nhà nước từ chối hạ chuẩn cho vay"
    assert attribute(["NHNN khẳng định sẽ giữ chuẩn tín dụng."], title) == [
        ["Ngân hàng Nhà nước"]]
    assert attribute(["Ông khẳng định đội đã chơi tốt."], "HLV Park Hang-seo hài lòng") == [
        ["Park Hang-seo"]]


@pytest.mark.parametrize(
    ("name", "other"),
    [("NHNN", "Ngân hàng Nhà nước"), ("Ngân hàng Nhà nước", "NHNN"),
     ("UBND tỉnh Quảng Ninh", "Ủy ban nhân dân tỉnh Quảng Ninh"),
     ("Bộ GD&ĐT", "Bộ Giáo dục và Đào tạo"), ("Viện kiểm sát nhân dân tối cao", "VKSNDTC")],
)
def test_an_institution_has_its_other_form(name: str, other: str) -> None:
    assert other in forms(name)


def test_a_person_has_no_other_form() -> None:
    assert forms("Phạm Minh Chính") == () and forms("Vladimir Putin") == ()


def test_speaker_queries_find_both_forms(tmp_path: Path) -> None:
    """A real index: the speaker is shown as the article writes it, and found by
    either form of the name."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "nhnn.txt").write_text(
        "Lãi suất cuối năm\nNHNN khẳng định sẽ giữ ổn định lãi suất điều hành.\n", "utf-8")
    (docs / "bgd.txt").write_text(
        "Kỳ thi tốt nghiệp\nBộ Giáo dục và Đào tạo cho biết đề thi đã được in xong.\n", "utf-8")
    with Engine.build(tmp_path / "index", [docs]) as engine:
        for query, article in (('speaker:"Ngân hàng Nhà nước"', "nhnn"),
                               ("speaker:NHNN", "nhnn"), ('speaker:"Bộ GD&ĐT"', "bgd"),
                               ('speaker:"bo giao duc"', "bgd")):
            hits = engine.search(query)
            assert [h.article for h in hits] == [article], query
        [hit] = engine.search('speaker:"Ngân hàng Nhà nước"')
        assert list(hit.speakers) == ["NHNN"]


def _scorer():
    spec = importlib.util.spec_from_file_location(
        "attribution_realnews", ROOT / "bench" / "attribution_realnews.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


def test_lenient_scoring_pairs_a_short_form_with_its_full_name() -> None:
    mod = _scorer()
    assert mod.same_speaker("Lavrov", "Sergei Lavrov") and mod.same_speaker("Park", "Park Hang-seo")
    assert not mod.same_speaker("Lan", "Nguyễn Văn Hùng")
    counts = mod.lenient({"Lavrov", "Nga"}, {"Sergei Lavrov"})
    assert (counts.tp, counts.fp, counts.fn) == (1, 1, 0)


@pytest.mark.parametrize(
    ("parts", "precision", "recall"),
    [
        # fitted to: 96 pages, 472 passages (0.96 / 0.82 after the fourth round of
        # issue 25, 0.92 / 0.75 after the first two; 0.61 / 0.42 before issue 25)
        (("dev1", "dev2"), 0.93, 0.79),
        # fitted to in the fourth round: 52 pages, 190 passages, built blind as a held-out
        # part (first look 0.54 / 0.46 before that round); 0.87 / 0.78 after it
        (("dev3",), 0.84, 0.75),
        # held out, 47 pages, 234 passages: 0.81 / 0.67 now (first look 0.80 / 0.65;
        # the rules before issue 25 0.70 / 0.46)
        (("test",), 0.79, 0.65),
        # held out, built for the second round: 57 pages, 160 passages; first look
        # 0.84 / 0.71, 0.83 / 0.73 after the fourth round
        (("test2",), 0.81, 0.71),
        # held out, built blind for the fourth round: 53 pages, 180 passages; first look
        # 0.65 / 0.55 with the code before that round, 0.71 / 0.63 with it
        (("test4",), 0.68, 0.60),
    ],
)
def test_real_news_against_the_gold(parts: tuple[str, ...], precision: float,
                                    recall: float) -> None:
    """The real-news set of issue 25, scored as the seeds are; aggregate figures only."""
    mod = _scorer()
    counts = mod.Counts()
    for part in parts:
        folder = ROOT / "tests" / "data" / "realnews" / part
        assert len(list(folder.glob("rn_*.txt"))) >= 40
        counts.add(mod.score(folder).strict)
    p, r, _ = counts.prf
    assert p >= precision and r >= recall, str(counts)
