"""Segmentation: pyvi and our repairs (names, weekdays, ordinals), measured on gold
segmentations, and pyvi loaded once by threads that start together."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from unicode_forms import nfd

from search.analysis import normalize, segment


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


def _segmentation_bench():
    import importlib.util
    from pathlib import Path

    bench = Path(__file__).resolve().parents[2] / "bench" / "segmentation.py"
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
                          cwd=Path(__file__).resolve().parents[2], timeout=120)
    assert proc.returncode == 0 and proc.stdout.strip() == "[]", proc.stdout + proc.stderr
