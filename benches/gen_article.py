#!/usr/bin/env python3
"""Generates a large Korean news-style article for benchmarks.

usage: gen_article.py SIZE_MB OUT_PREFIX

Writes OUT_PREFIX.json (gisa-article/1, with quotes, figures, entities and captions) and
OUT_PREFIX.txt (the same text, plain) so that gisa and a plain-text peer read the same text.
The sentences are written for this project; a fixed seed makes the output repeatable.
"""
import json
import random
import sys

PEOPLE = ["김서연", "박준호", "이하늘", "최민재", "정유나"]
ORGS = ["한빛전력", "누리바이오", "가람은행", "세움건설", "다온통신"]
PLACES = ["세종시", "강릉", "목포", "청주", "여수"]
TITLES = ["대표", "장관", "연구원", "시장", "교수"]


class Doc:
    """The text being built: pieces and the running length in code points."""

    def __init__(self):
        self.out = []
        self.pos = 0
        self.nbytes = 0

    def push(self, piece):
        self.out.append(piece)
        self.pos += len(piece)
        self.nbytes += len(piece.encode())


FILLER = [
    "이번 조치는 다음 달부터 단계적으로 시행될 예정이며, 관계 부처는 세부 지침을 마련하고 있다. ",
    "현장에서는 제도의 취지에는 공감하지만 준비 기간이 짧다는 목소리도 나온다. ",
    "업계 관계자들은 수요 회복 속도가 예상보다 더디다고 입을 모았다. ",
    "시민들은 출퇴근길 불편이 줄어들기를 기대하면서도 요금 인상 가능성을 걱정했다. ",
    "정부는 상황을 면밀히 지켜보며 필요하면 추가 대책을 내놓겠다는 방침이다. ",
]


def sentence(rng, doc, anns):
    """Appends one sentence to `doc`, recording annotations."""

    def add(piece, kind=None, label=None, **extra):
        if kind:
            anns.append(dict(id=f"{kind[0]}{len(anns)}", kind=kind, label=label,
                             start=doc.pos, end=doc.pos + len(piece), text=piece, **extra))
        doc.push(piece)

    # about one annotation per 60 characters, as in the hand-annotated samples
    form = rng.choice([0, 1, 2, 3, 4, 5, 6, 7, 8])
    if form >= 4:
        add(rng.choice(FILLER))
        return
    if form == 0:
        person = rng.choice(PEOPLE)
        pid_index = len(anns)
        add(person, "entity", "PERSON", canonical=person)
        add(f" {rng.choice(TITLES)}는 ")
        inner = rng.choice(["올해 수출이 크게 늘어날 것", "지역 경제가 살아나고 있다", "안전이 가장 중요하다"])
        add(f"“{inner}”", "quote", "QUOTE", speaker=anns[pid_index]["id"])
        add("이라고 말했다. ")
    elif form == 1:
        add(rng.choice(ORGS), "entity", "ORG")
        add("는 지난해 매출이 ")
        n = rng.randrange(1, 999)
        add(f"{n}억 원", "figure", "MONEY", value=n * 100_000_000, unit="KRW")
        add("으로 전년보다 ")
        p = rng.randrange(1, 60)
        add(f"{p}%", "figure", "PERCENT", value=p, unit="%")
        add(" 늘었다고 밝혔다. ")
    elif form == 2:
        add(rng.choice(PLACES), "entity", "LOC")
        add("의 낮 기온은 ")
        t = rng.randrange(-10, 36)
        add(f"{t}℃", "figure", "TEMPERATURE", value=t, unit="℃")
        add("까지 오르겠고, 주민 ")
        c = rng.randrange(100, 9000)
        add(f"약 {c:,}명", "figure", "COUNT", value=c, unit="명", approx=True)
        add("이 행사에 참여할 예정이다. ")
    else:
        add("전문가들은 ‘탄소 중립’ 목표를 두고 다양한 의견을 내놓았다… 자세한 내용은 추후 발표된다. ")


def main():
    size_mb = float(sys.argv[1])
    prefix = sys.argv[2]
    rng = random.Random(20261129)
    target = int(size_mb * 1_000_000)
    doc, anns = Doc(), []
    para = 0
    while doc.nbytes < target:
        for _ in range(rng.randrange(3, 7)):
            sentence(rng, doc, anns)
        para += 1
        if para % 9 == 0:
            doc.push("\n")
            cap = f"(사진=가상뉴스 제공) {rng.choice(PLACES)}에서 열린 행사 모습"
            anns.append(dict(id=f"c{len(anns)}", kind="caption", label="CAPTION",
                             start=doc.pos, end=doc.pos + len(cap), text=cap))
            doc.push(cap)
        doc.push("\n")
    text = "".join(doc.out).rstrip("\n")
    anns = [a for a in anns if a["end"] <= len(text)]
    article = {"format": "gisa-article/1", "id": "bench", "title": "벤치마크용 대형 기사",
               "source": "가상뉴스", "published": "2026-11-29", "text": text, "annotations": anns}
    with open(prefix + ".json", "w", encoding="utf-8") as f:
        json.dump(article, f, ensure_ascii=False)
    with open(prefix + ".txt", "w", encoding="utf-8") as f:
        f.write(text)
        f.write("\n")


if __name__ == "__main__":
    main()
