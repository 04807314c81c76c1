"""Each analysis step alone, on real sentences from the seeds."""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search.analysis import analyze, fold, normalize, segment, tokenize
from search.analysis.tokens import Kind


def nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("hoà", "hòa"),
        ("thoả thuận", "thỏa thuận"),
        ("uỷ ban", "ủy ban"),
        ("khoẻ", "khỏe"),
        ("Hoà Bình", "Hòa Bình"),
        ("hoàng", "hoàng"),  # final consonant: tone stays on the second vowel
        ("quý", "quý"),  # qu: u is a consonant letter
        ("giá", "giá"),  # gi: i is a consonant letter
        ("người", "người"),  # ươ: the tone sits on ơ
        ("thuở", "thuở"),
        ("Sécurité", "Sécurité"),  # not a Vietnamese syllable: untouched
        (nfd("đảm bảo biên giới"), "đảm bảo biên giới"),  # NFD in, NFC out
        (nfd("thoả luận"), "thỏa luận"),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_normalize_is_idempotent_on_seed_text(seeds) -> None:
    for path in seeds.glob("*.txt"):
        once = normalize(path.read_text("utf-8"))
        assert normalize(once) == once


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("đảm bảo", "dam bao"),
        ("Điện Kremlin", "Dien Kremlin"),
        ("láng giềng", "lang gieng"),
        (nfd("người đồng cấp"), "nguoi dong cap"),
        ("Matxcơva", "Matxcova"),
    ],
)
def test_fold(raw: str, expected: str) -> None:
    assert fold(raw) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hội đàm ngày 7/12/2021.", [("hội", Kind.SYLLABLE), ("đàm", Kind.SYLLABLE),
                                     ("ngày", Kind.SYLLABLE), ("7/12/2021", Kind.DATE)]),
        ("rạng sáng 8.12 (giờ", [("rạng", Kind.SYLLABLE), ("sáng", Kind.SYLLABLE),
                                ("8/12", Kind.DATE), ("giờ", Kind.SYLLABLE)]),
        ("Ngày 8-12,", [("Ngày", Kind.SYLLABLE), ("8/12", Kind.DATE)]),
        ("kể từ tháng 12/2021", [("kể", Kind.SYLLABLE), ("từ", Kind.SYLLABLE),
                                 ("tháng", Kind.SYLLABLE), ("12/2021", Kind.DATE)]),
        ("hơn 175.000 quân", [("hơn", Kind.SYLLABLE), ("175000", Kind.NUMBER),
                             ("quân", Kind.SYLLABLE)]),
        ("COVID-19", [("COVID-19", Kind.MIXED)]),
        ("lúc 20h10 giờ", [("lúc", Kind.SYLLABLE), ("20h10", Kind.MIXED), ("giờ", Kind.SYLLABLE)]),
        ("Nga-Mỹ", [("Nga", Kind.SYLLABLE), ("Mỹ", Kind.SYLLABLE)]),
        ("2,5 triệu", [("2,5", Kind.NUMBER), ("triệu", Kind.SYLLABLE)]),
        ("ngày 45/13", [("ngày", Kind.SYLLABLE), ("45", Kind.NUMBER), ("13", Kind.NUMBER)]),
    ],
)
def test_tokenize_kinds(text: str, expected: list[tuple[str, Kind]]) -> None:
    assert [(t.text, t.kind) for t in tokenize(text)] == expected


def test_token_offsets_point_into_nfd_original() -> None:
    text = nfd("Điện Kremlin thông báo")
    tokens = tokenize(text)
    assert [text[t.start : t.end] for t in tokens] == [nfd("Điện"), "Kremlin", nfd("thông"),
                                                       nfd("báo")]
    assert [t.text for t in tokens] == ["Điện", "Kremlin", "thông", "báo"]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Tổng thống Mỹ Joe Biden và người đồng cấp Nga Vladimir Putin",
         ["Tổng thống", "Mỹ", "Joe Biden", "và", "người", "đồng", "cấp", "Nga",
          "Vladimir Putin"]),
        ("căng thẳng tại biên giới Ukraine", ["căng thẳng", "tại", "biên giới", "Ukraine"]),
        ("ông Yuri Ushakov nêu quan điểm", ["ông", "Yuri Ushakov", "nêu", "quan điểm"]),
        ("Theo Điện Kremlin, Tổng thống", ["Theo", "Điện Kremlin", "Tổng thống"]),
        ("điều hơn 175.000 quân", ["điều", "hơn", "175.000", "quân"]),
        ("rạng sáng 8.12 (giờ", ["rạng", "sáng", "8.12", "giờ"]),
        ("ngày 7/12/2021 theo giờ", ["ngày", "7/12/2021", "theo", "giờ"]),
        ("hai bên thoả thuận", ["hai", "bên", "thoả thuận"]),  # as written; the index normalises
    ],
)
def test_segment(text: str, words: list[str]) -> None:
    assert segment(text) == words


def test_fields_share_positions() -> None:
    a = analyze("Đáp lại cảnh báo của Tổng thống Biden")
    fields = a.fields()
    assert fields["syl"] == ["đáp", "lại", "cảnh", "báo", "của", "tổng", "thống", "biden"]
    assert fields["fold"] == ["dap", "lai", "canh", "bao", "cua", "tong", "thong", "biden"]
    assert "tổng thống" in fields["word"]
    assert "tong thong" in fields["wfold"]
    assert "của" not in fields["word"]  # one syllable: the syllable fields hold it


def test_nfd_and_old_tones_analyse_identically() -> None:
    assert analyze(nfd("thoả thuận hoà bình")).fields() == analyze("thỏa thuận hòa bình").fields()


def _segmentation_bench():
    import importlib.util
    from pathlib import Path

    bench = Path(__file__).resolve().parents[1] / "bench" / "segmentation.py"
    spec = importlib.util.spec_from_file_location("segbench", bench)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_segmenter_beats_raw_pyvi_on_the_gold() -> None:
    mod = _segmentation_bench()
    raw, ours, _ = mod.measure(mod.GOLD)
    assert ours[2] > raw[2] + 0.03


def test_segmenter_beats_raw_pyvi_on_domestic_news() -> None:
    """201 hand-segmented sentences of domestic news, both tone placements, some NFD."""
    mod = _segmentation_bench()
    raw, ours, n = mod.measure(mod.DOMESTIC)
    assert n >= 150
    assert ours[2] >= raw[2] + 0.01


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Chủ tịch tỉnh đã ủy quyền cho cấp phó", "ủy quyền"),
        ("đường lối đối ngoại hòa bình, hữu nghị", "hòa bình"),
        ("nước Cộng hòa Pháp", "Cộng hòa"),
    ],
)
def test_pyvi_reads_the_spelling_it_was_trained_on(text: str, word: str) -> None:
    """pyvi knows these words in the new placement (uỷ quyền, hoà bình); the old
    placement, and NFD, must segment the same, and words keep the index's spelling."""
    modern = segment(text.replace("ủy", "uỷ").replace("hòa", "hoà"))
    assert word in segment(text)
    assert word in segment(nfd(text))
    assert [normalize(w) for w in modern] == segment(text)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Thủ tướng Phạm Minh Chính yêu cầu", ["Phạm Minh Chính"]),
        ("Vận động viên Nguyễn Thị Oanh giành huy chương", ["Nguyễn Thị Oanh"]),
        ("Đại biểu Nguyễn Anh Trí cho rằng", ["Nguyễn Anh Trí"]),
        ("Bị cáo Trương Mỹ Lan bị truy tố", ["Trương Mỹ Lan"]),
        ("Chủ tịch nước Tô Lâm tiếp đoàn", ["Tô Lâm", "tiếp"]),
        ("Theo lịch, Thứ Năm tuần sau Quốc hội sẽ bỏ phiếu", ["Thứ Năm", "Quốc hội"]),
        ("sẽ đi học trở lại từ thứ Hai", ["thứ Hai"]),
        ("Thứ hai tuần trước, đoàn kiểm tra", ["Thứ hai"]),
        ("Phó Thủ tướng Trần Hồng Hà ký", ["Trần Hồng Hà"]),
        # a capital at a sentence start is no part of the name that follows
        ("Cụ Nguyễn Thị Lành năm nay 102 tuổi", ["Cụ", "Nguyễn Thị Lành"]),
        ("Ngoài Nguyễn Văn An, còn có chị Lan", ["Ngoài", "Nguyễn Văn An"]),
    ],
)
def test_name_and_weekday_repairs(text: str, words: list[str]) -> None:
    got = segment(text)
    for w in words:
        assert w in got


def test_ordinals_and_two_names_stay_apart() -> None:
    assert "thứ hai" not in segment("lần thứ hai trong năm")  # the second, not Monday
    got = segment("Thủ tướng Phạm Minh Chính và Nguyễn Văn An")
    assert "Phạm Minh Chính" in got and "Nguyễn Văn An" in got
    assert "Phó Thủ tướng" in segment("Phó Thủ tướng cho biết")  # a title keeps its lowercase half
    assert "Phó giám đốc" in segment("ông Lê Văn An, Phó giám đốc Sở Y tế, cho biết")
    assert "Phó chủ tịch" in segment("bà Lan, Phó chủ tịch UBND tỉnh, nói")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(
    list("aăâeêioôơuưyđAĂÂĐEÊOƠƯ bcdghklmnqrstvx_,.;:/-()'\"\n")
    + ["\u0300", "\u0301", "\u0303", "\u0309", "\u0323", "ố", "ệ", "ữ", "Ả", "\u00a0"]),
    max_size=60))
def test_the_plain_text_fast_path_finds_the_same_tokens(text: str) -> None:
    from search.analysis.tokens import _tokenize_all_shapes

    assert tokenize(text) == _tokenize_all_shapes(text)


def test_folding_a_passage_is_decomposing_it_and_dropping_the_marks() -> None:
    """fold_text folds with one str.translate; it must equal the definition (NFD, then
    every combining mark dropped, đ -> d) for every character and for NFD text."""
    from search.analysis.fold import fold_text

    def definition(text: str) -> str:
        text = text.replace("đ", "d").replace("Đ", "D")
        return "".join(c for c in unicodedata.normalize("NFD", text)
                       if not unicodedata.combining(c))

    chars = [chr(cp) for cp in range(0x10000) if not 0xD800 <= cp <= 0xDFFF]
    assert [fold_text(c) for c in chars] == [definition(c) for c in chars]
    text = "Đảm bảo hòa bình, thoả thuận; 한국어 Ωμέγα ﬁ"
    for form in ("NFC", "NFD"):
        same = unicodedata.normalize(form, text)
        assert fold_text(same) == definition(same)


@pytest.mark.slow
def test_threads_loading_pyvi_at_once_all_segment() -> None:
    """A Dask worker's threads analyse at once on first use (issue 22, item 2): each
    must wait for the one loading pyvi, not use its model before the tagger is open."""
    script = """if True:
        import sys, threading
        from search.analysis import analyze
        barrier, errors = threading.Barrier(8), []
        def work():
            barrier.wait()
            try:
                analyze("Tổng thống Putin cho biết Nga sẵn sàng đàm phán với Ukraine.")
            except Exception as exc:
                errors.append(repr(exc))
        threads = [threading.Thread(target=work) for _ in range(8)]
        for t in threads: t.start()
        for t in threads: t.join()
        print(errors)
    """
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[1], timeout=120)
    assert proc.returncode == 0 and proc.stdout.strip() == "[]", proc.stdout + proc.stderr
