"""Reporting verbs of Vietnamese news, and the words that may stand between a
speaker and the verb (``ông X đã cũng cho biết``).

Each verb is looked up by its first syllable in a trie; a few are also ordinary
words (``nói chung``, ``kể từ``, ``đề nghị của``) and are not verbs before the
words listed for them.
"""

from __future__ import annotations

from search.ingest.titles import Phrases

VERBS = [
    "cho biết", "cho hay", "cho rằng", "nói", "nói với", "khẳng định", "cảnh báo", "nhấn mạnh",
    "nhận xét", "nêu quan điểm", "nêu rõ", "phản biện", "thông báo", "tuyên bố", "lưu ý",
    "chỉ trích", "phủ nhận", "bác bỏ", "yêu cầu", "đề xuất", "đề nghị", "kiến nghị",
    "kêu gọi", "bày tỏ", "tường thuật", "đưa tin", "công bố", "chỉ ra", "phàn nàn",
    "lên tiếng", "đáp lại", "nhận định", "dự báo", "tiết lộ", "thừa nhận", "dẫn lời",
    "xác nhận", "trả lời", "giải thích", "bình luận", "cáo buộc", "hứa", "dự đoán",
    "khuyến cáo", "phát biểu", "viết", "dẫn", "kể", "kể lại", "chia sẻ", "thông tin",
    "quán triệt", "chỉ đạo", "nhắc lại", "phân tích", "khai", "tâm sự", "thông tin thêm",
    "đặt câu hỏi", "đánh giá", "lo ngại", "bổ sung", "nhấn mạnh thêm",
    # seen in real news (issue 25)
    "trình bày", "gợi ý", "đặt vấn đề", "nêu ý kiến", "cảm ơn", "chúc mừng", "kết luận",
    "khuyến nghị", "trấn an", "lý giải", "giải đáp", "nhắn nhủ", "hỏi",
    "trích lời", "đồng tình", "mong muốn", "nhận xét thêm", "nói thêm", "cho biết thêm",
    "cam kết", "báo cáo", "xin", "mong", "trần tình", "gửi lời", "căn dặn", "dặn", "nhắc nhở",
    "khuyên", "phản bác", "phản hồi", "đáp", "thổ lộ", "bộc bạch", "xin lỗi",
    "khen ngợi", "dành lời khen", "ca ngợi", "tóm lược", "có bài phát biểu",
    "có những chia sẻ", "có chia sẻ", "có lời khuyên", "có ý kiến",
    # "đưa ra" and what is said: "chuyên gia X thì đưa ra dự báo …"
    "đưa ra dự báo", "đưa ra nhận định", "đưa ra cảnh báo", "đưa ra đánh giá",
    "đưa ra khuyến cáo", "đưa ra lời khuyên", "đưa ra quan điểm", "đưa ra ý kiến",
    "đưa ra lời cảnh báo", "đưa ra nhận xét",
]
VERB_PHRASES = Phrases([(tuple(v.split()), "verb") for v in VERBS])
# the same words used otherwise: "nói chung", "kể từ", "đề nghị của", "khai mạc"
NOT_VERB_AFTER = {"nói": {"trên", "chuyện", "chung", "riêng", "dối"},
                   "dẫn": {"khí", "đầu", "đến", "tới", "độ", "dắt"}, "viết": {"tắt"},
                   "kể": {"từ", "cả", "trên", "ra", "chuyện", "đầu", "tên"},
                   "đề nghị": {"của", "này", "đó"},
                   "khai": {"mạc", "thác", "báo", "trương", "triển", "giảng", "sinh", "tử"},
                   "yêu cầu": {"của", "này", "đó"}, "chỉ đạo": {"của", "này"},
                   "thông tin": {"này", "đó", "của", "trên"}, "đánh giá": {"của", "này"},
                   "bổ sung": {"vào", "thêm"},
                   "báo cáo": {"của", "này", "đó", "tài", "kết", "viên", "tổng", "số", "về"},
                   "xin": {"phép", "việc", "ý", "cấp", "giấy", "visa", "vào"},
                   "dặn": {"dò"}, "đáp": {"ứng", "án", "số", "lại"}}
FILLERS = {"đã", "cũng", "còn", "vừa", "thì", "đều", "mới", "sẽ", "đó", "sau", "kế",
           "trước", "tiếp", "tục", "thêm", "hôm", "nay", "qua", "chính", "thức", "đang",
           "từng", "lại", "nữa", "trực", "khi", "nhiều", "lần",
           # manner: "Thu Thảo xúc động nói"
           "xúc", "động", "cười", "vui", "vẻ", "hào", "hứng", "hài", "hước", "hóm", "hỉnh",
           "điềm", "tĩnh", "lập", "tức", "vẫn", "cùng"}
VERB_FIRST = frozenset(VERB_PHRASES.by_first)
VERB_SET = frozenset(VERBS)
