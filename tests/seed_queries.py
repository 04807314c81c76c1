"""Queries of every form on the seeds, which every engine must answer alike (and a
cluster as one local index): the tone-mark rule, fields, dates, operators, fuzzy; and
a plan of every node kind, run on each engine's snapshot."""

from search.plan import (
    All,
    AnyOf,
    Best,
    Filter,
    FirstPassages,
    MatchAll,
    MatchNone,
    Near,
    Passages,
    Phrase,
    Plan,
    Range,
    Scale,
    Terms,
    WithExtra,
)

QUERIES = [
    '"đường ống"', "thoả luận", "lang gieng", "láng giềng", "70000 binh sĩ", "175.000",
    "biên giới Ukraine", "dam bao an ninh", "Moskva", "Kiev", "Hoa Kỳ",
    "Lavrov AND Blinken", "Lavrov OR Blinken", "Lavrov -Blinken", "NOT Blinken Lavrov",
    "(Lavrov OR Sullivan) Crimea", "+Sullivan +cảnh báo", "Sullivan cảnh báo",
    '"Biden Putin"~5', '"Putin Biden"~2', '"Nord Stream"', "“Nord Stream”",
    "speaker:Sullivan", 'speaker:"Jake Sullivan"', "speaker:kremlin",
    'speaker:Sullivan "đồng minh"',
    "speaker:Ushak*", "speaker:Sulivan~1", "source:PLVN", 'source:"tuoi tre"',
    "title:(đột phá OR thỏa thuận)", 'title:"quan hệ song phương"', "article:004_12fe0e7d6c291417",
    "article:00*", "date:2021-12", "date:2021", "date:2021-12-07", "date:7/12/2021",
    "date:[2021-12-01 TO 2021-12-31]", "date:{2021-12-07 TO *]", "date:>=2022", "date:<2022",
    "date:[* TO *] Ukraine", "Ushak*", "Kremlinn~", "Kremlinn~1", "Sulivan~", "NATO^2 Ukraine",
    "(Putin Biden)^0.5 NATO", "COVID\\-19 OR Nga\\-Mỹ", "7/12/2021", '"8-12"',
    "Nga lo ngại NATO mở rộng về phía đông", "Kremlinn", 'speaker:Sullivan "Nord Stream"',
    # every kind again, typed with marks and without (the tone-mark rule on both engines)
    "ống", "ong", "đóng", "dong", '"đóng cửa"', '"dong cua"', '"đường ong"', "Việt nam",
    "đườ*", "duo*", "đ?ng", "d?ng", "Pu*n", "đón~1", "don~1", '"thượng đỉnh"~3',
    '"thuong dinh"~3', "title:(đột phá)", "title:(dot pha)", 'speaker:"Jake Sullivan"',
    "speaker:Ushakov", "source:plvn", "Matxcơva", "Matxcova", "Hoa Kỳ", "hoa ky", "!NATO Nga",
    "Putin~0.8", "ngà", "nga", "bàn", "ban", "hồi OR đỉnh", "(quán OR cửa) -Nga",
]

SEQUENCE = ("nord", "stream")
PLANS: list[Plan] = [
    Terms("fold", ("putin",)),
    Terms("syl", ("putin", "biden", "lavrov"), 0.5),
    Phrase("syl", SEQUENCE),
    Near("fold", "biden", "putin", 5),
    Near("fold", "putin", "biden", 1),
    Filter(All((Range("date_lo", 20211201, None), Range("date_hi", None, 20211231)))),
    Filter(Range("date_lo", 0, None)),
    Filter(Range("date_hi", None, 20211207)),
    Passages(frozenset({"000_8573dd3e2d4c80c7#1", "001_d3bae11d98f19b71#3", "no#such"})),
    FirstPassages(),
    All((Terms("fold", ("putin",)), Terms("fold", ("biden",)))),
    All((MatchAll(),), (Terms("fold", ("nato",)),)),
    All((Terms("fold", ("lavrov",)),), (Terms("fold", ("blinken",)),)),
    AnyOf((Terms("fold", ("lavrov",)), Terms("fold", ("sullivan",)))),
    AnyOf((Terms("fold", ("nga",)), Terms("fold", ("nato",)), Terms("fold", ("ukraine",))), 2),
    # at least k of n below the root, and beside an exclusion
    All((Terms("fold", ("putin",)),
         AnyOf((Terms("fold", ("nga",)), Terms("fold", ("nato",)), Terms("fold", ("my",)),
                Terms("fold", ("ukraine",))), 3)),
        (Terms("fold", ("biden",)),)),
    AnyOf((AnyOf((Terms("fold", ("nga",)), Terms("fold", ("nato",)),
                  Terms("fold", ("ukraine",))), 2), Terms("fold", ("sullivan",)))),
    Filter(AnyOf((Terms("fold", ("nga",)), Terms("fold", ("nato",))), 2)),
    Best((Terms("fold", ("moscow",)), Scale(Terms("fold", ("moskva",)), 0.4))),
    WithExtra(Terms("fold", ("nato",)), Terms("syl", ("ukraine",))),
    Scale(Terms("fold", ("crimea",)), 2.0),
    Filter(Terms("speaker", ("sullivan",))),
    MatchNone(),
    AnyOf((MatchNone(), Terms("fold", ("kremlin",)))),
]
