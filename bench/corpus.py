"""A deterministic generator of realistic Vietnamese news articles, any number.

Articles recombine real sentences of the seeds: names swapped for others
drawn with Zipfian weights (a few people are quoted again and again), numbers
and dates changed, quotes wrapped in reporting verbs, outlets credited as the
seeds do (``(PLVN) -`` leads, ``Theo Tuổi trẻ`` lines, ``date`` headers).
Term statistics stay those of news: the words are the seeds' own words.

    python bench/corpus.py OUT_DIR --articles 10000 [--seed 1]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import sys
from collections.abc import Iterator
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[1] / "seeds"

PEOPLE = [
    ("Tổng thống Nga", "Vladimir Putin"), ("Tổng thống Mỹ", "Joe Biden"),
    ("cố vấn an ninh quốc gia Mỹ", "Jake Sullivan"), ("Ngoại trưởng Nga", "Sergei Lavrov"),
    ("Ngoại trưởng Mỹ", "Antony Blinken"), ("Phụ tá Điện Kremlin", "Yuri Ushakov"),
    ("Bộ trưởng Quốc phòng Nga", "Sergei Shoigu"), ("Thứ trưởng Ngoại giao Mỹ", "Victoria Nuland"),
    ("Tổng thống Ukraine", "Volodymyr Zelensky"), ("Thủ tướng Đức", "Olaf Scholz"),
    ("Tổng thống Pháp", "Emmanuel Macron"), ("người phát ngôn Điện Kremlin", "Dmitry Peskov"),
    ("Tổng thư ký NATO", "Jens Stoltenberg"), ("chuyên gia", "Olga Oliker"),
    ("Thủ tướng Anh", "Boris Johnson"), ("Ngoại trưởng Ukraine", "Dmytro Kuleba"),
    ("Bộ trưởng Quốc phòng Mỹ", "Lloyd Austin"), ("Đại sứ Nga tại Mỹ", "Anatoly Antonov"),
    ("Thủ tướng", "Phạm Minh Chính"), ("Bộ trưởng Ngoại giao", "Bùi Thanh Sơn"),
    ("ông", "Nguyễn Văn Hùng"), ("bà", "Trần Thị Mai"), ("chuyên gia", "Lê Hoàng Nam"),
]
ORGS = ["Điện Kremlin", "Nhà Trắng", "Bộ Ngoại giao Nga", "Lầu Năm Góc", "Bộ Quốc phòng Nga",
        "Liên Hợp Quốc", "Bộ Ngoại giao Mỹ", "NATO"]
VERBS = ["cho biết", "khẳng định", "nhấn mạnh", "cảnh báo", "tuyên bố", "nhận định", "cho hay",
         "nói", "lưu ý", "bày tỏ"]
OUTLETS_LEAD = ["PLVN", "TTXVN", "VOV", "Dân trí", "VTC News"]
OUTLETS_CREDIT = ["Tuổi trẻ", "Thanh Niên", "VnExpress", "Reuters", "TASS", "AP"]
NAMES_IN_SEEDS = ["Vladimir Putin", "Joe Biden", "Jake Sullivan", "Sergei Lavrov",
                  "Antony Blinken", "Anthony Blinken", "Yuri Ushakov", "Victoria Nuland",
                  "Sergei Shoigu", "Olga Oliker", "Putin", "Biden", "Sullivan", "Lavrov",
                  "Ushakov", "Blinken"]
_NAME = re.compile("|".join(sorted(map(re.escape, NAMES_IN_SEEDS), key=len, reverse=True)))
# numbers to vary, but never a piece of a date (7/12/2021, 8.12, 8-12)
_NUMBER = re.compile(r"(?<![\d/.-])(?:\d{1,3}(?:\.\d{3})+|\d{2,4})(?![\d/.-]\d)")
_SENTENCE = re.compile(r"(?<=[.!?”\"])\s+(?=[A-ZĐÂĂÊÔƠƯÁÀẢÃẠ“\"])")


def seed_sentences() -> list[str]:
    out = []
    for path in sorted(SEEDS.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = re.sub(r"^\s*date \d{4}-\d{2}\s*", "", line).strip()
            if len(line) < 40 or line.startswith("0:00"):
                continue
            out.extend(s for s in _SENTENCE.split(line) if len(s) > 30)
    return out


def zipf_choice(rng: random.Random, items: list[object], s: float = 1.1) -> object:
    weights = [1 / (k + 1) ** s for k in range(len(items))]
    return rng.choices(items, weights)[0]


class Generator:
    def __init__(self, seed: int = 1) -> None:
        self.rng = random.Random(seed)
        self.sentences = seed_sentences()

    def _person(self) -> tuple[str, str]:
        return zipf_choice(self.rng, PEOPLE)  # type: ignore[return-value]

    def _sentence(self) -> str:
        s = self.rng.choice(self.sentences)
        s = _NAME.sub(lambda m: self._person()[1] if " " in m.group(0)
                      else self._person()[1].split()[-1], s)
        return _NUMBER.sub(lambda m: self._number(m.group(0)), s)

    def _number(self, text: str) -> str:
        if "." in text:
            return f"{self.rng.randint(1, 999)}.{self.rng.randint(0, 999):03d}"
        if len(text) == 4:
            return str(self.rng.randint(2014, 2024))
        return str(self.rng.randint(2, 99))

    def _quote(self) -> str:
        body = self._sentence().rstrip(".")
        title, name = self._person()
        verb = self.rng.choice(VERBS)
        form = self.rng.randrange(4)
        if form == 0:
            return f"“{body}”, {title} {name} {verb}."
        if form == 1:
            return f"{title} {name} {verb}: “{body}”."
        if form == 2:
            return f"Theo {self.rng.choice(ORGS)}, {body[0].lower()}{body[1:]}."
        return f"{self.rng.choice(ORGS)} {verb} rằng {body[0].lower()}{body[1:]}."

    def article(self, n: int) -> tuple[str, str]:
        rng = self.rng
        year, month, day = rng.randint(2019, 2024), rng.randint(1, 12), rng.randint(1, 28)
        paragraphs = []
        for _ in range(max(2, int(rng.paretovariate(1.6) * 6))):
            parts = [self._quote() if rng.random() < 0.35 else self._sentence()
                     for _ in range(rng.randint(1, 3))]
            paragraphs.append(" ".join(parts))
        if rng.random() < 0.3:
            paragraphs[0] = f"Ngày {day}-{month}, " + paragraphs[0][0].lower() + paragraphs[0][1:]
        if rng.random() < 0.5:
            paragraphs.insert(rng.randrange(len(paragraphs)),
                              f"Cuộc gặp diễn ra ngày {day}/{month}/{year} tại thủ đô.")
        head = ""
        if rng.random() < 0.3:
            head = f" date {year}-{month:02d} "
        if rng.random() < 0.3:
            paragraphs[0] = f"({rng.choice(OUTLETS_LEAD)}) - " + paragraphs[0]
        elif rng.random() < 0.4:
            paragraphs.append(f"Theo {rng.choice(OUTLETS_CREDIT)}")
        if rng.random() < 0.3:
            paragraphs.insert(0, self._sentence().rstrip(".")[:90])  # a title line
        text = head + "\n".join(paragraphs) + "\n"
        digest = hashlib.sha1(f"{n}:{text}".encode()).hexdigest()[:16]
        return f"{n:06d}_{digest}", text

    def articles(self, count: int) -> Iterator[tuple[str, str]]:
        for n in range(count):
            yield self.article(n)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("out", type=Path)
    p.add_argument("--articles", type=int, default=1000)
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    passages = 0
    for name, text in Generator(args.seed).articles(args.articles):
        (args.out / f"{name}.txt").write_text(text, encoding="utf-8")
        passages += text.count("\n")
    print(f"{args.articles} articles, about {passages} paragraphs, in {args.out}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
