#!/usr/bin/env python3
"""Turn the hand-marked evaluation articles into the extractor's input and the gold files.

    python3 tests/eval/markup.py            # rewrites tests/eval/articles/*.txt and tests/eval/gold/*.json
    python3 tests/eval/markup.py --check    # fails if the generated files are out of date

Input: tests/eval/marked/NAME.txt, one article, written and annotated by hand (see README.md):

    @published 2025-03-14        gold publication date
    @arg 2025-03-14              the date the test passes as --published (omit when the article
                                 carries its own date line, e.g. "입력 2025.03.14 10:32")
    headline line                -> title (leading tags such as [단독] are dropped)
    !line                        boilerplate: in the raw input, not in the article text
    body line with ⟦LABEL attrs|content⟧ annotations (nestable) and ⟪dropped prefix⟫

Outputs: articles/NAME.txt (the raw text with the markup removed: what `gisa extract` reads) and
gold/NAME.json (gisa-article/1, offsets in code points of the article text).

Attributes (space separated, `_` stands for a space in values):
    id=ID  sp=ID (quote speaker entity)  st=TEXT (speaker text)  c=TEXT (canonical)
    v=NUMBER|null  u=UNIT  a (approximate)  b=min|max
"""
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
LABELS = {
    "Q": ("quote", "QUOTE"),
    "C": ("caption", "CAPTION"),
    "P": ("entity", "PERSON"),
    "O": ("entity", "ORG"),
    "L": ("entity", "LOC"),
    "PR": ("entity", "PRODUCT"),
    "T": ("entity", "TERM"),
    "M": ("figure", "MONEY"),
    "PC": ("figure", "PERCENT"),
    "N": ("figure", "QUANTITY"),
    "D": ("figure", "DATE"),
    "DU": ("figure", "DURATION"),
}
OPEN, SEP, CLOSE, DOPEN, DCLOSE = "⟦", "|", "⟧", "⟪", "⟫"
TAGS = re.compile(r"^(\s*\[[^\]]{1,8}\]\s*)+")


class MarkupError(Exception):
    pass


def parse_attrs(s, where):
    out = {}
    for tok in s.split():
        if "=" in tok:
            k, v = tok.split("=", 1)
            out[k] = v.replace("_", " ")
        else:
            out[tok] = True
    for k in out:
        if k not in ("id", "sp", "st", "c", "v", "u", "a", "b"):
            raise MarkupError(f"{where}: unknown attribute {k!r}")
    return out


def parse_line(line, where):
    """Returns (raw, text, spans): raw keeps ⟪⟫ content, text drops it; spans index into text."""
    raw, text, spans, stack = [], [], [], []
    i = 0
    while i < len(line):
        ch = line[i]
        if ch == OPEN:
            j = line.find(SEP, i)
            if j < 0:
                raise MarkupError(f"{where}: ⟦ without |")
            head = line[i + 1 : j].split(None, 1)
            label = head[0]
            if label not in LABELS:
                raise MarkupError(f"{where}: unknown label {label!r}")
            attrs = parse_attrs(head[1] if len(head) > 1 else "", where)
            stack.append((label, attrs, len(text)))
            i = j + 1
        elif ch == CLOSE:
            if not stack:
                raise MarkupError(f"{where}: ⟧ without ⟦")
            label, attrs, start = stack.pop()
            spans.append((label, attrs, start, len(text)))
            i += 1
        elif ch == DOPEN:
            j = line.find(DCLOSE, i)
            if j < 0:
                raise MarkupError(f"{where}: ⟪ without ⟫")
            raw.append(line[i + 1 : j])
            i = j + 1
        else:
            raw.append(ch)
            text.append(ch)
            i += 1
    if stack:
        raise MarkupError(f"{where}: unclosed ⟦{stack[-1][0]}")
    return "".join(raw), "".join(text), spans


def number(v):
    f = float(v)
    return int(f) if f == int(f) and abs(f) < 9e15 else f


def convert(path):
    name = path.stem
    meta, raw_lines, body = {}, [], []  # body: (text, spans)
    title = None
    for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        where = f"{path.name}:{n}"
        line = line.rstrip()
        if line.startswith("@"):
            k, v = line[1:].split(None, 1)
            meta[k] = v.strip()
            continue
        if not line.strip():
            raw_lines.append("")
            continue
        if line.startswith("!"):
            if OPEN in line or DOPEN in line:
                raise MarkupError(f"{where}: markup in a boilerplate line")
            raw_lines.append(line[1:])
            continue
        raw, text, spans = parse_line(line, where)
        raw_lines.append(raw)
        if title is None:
            if spans or raw != text:
                raise MarkupError(f"{where}: the headline carries no markup")
            title = TAGS.sub("", raw).strip()
            continue
        # the article text keeps each paragraph trimmed; spans shift with the left trim
        lead = len(text) - len(text.lstrip())
        body.append((text.strip(), [(lb, at, s - lead, e - lead) for lb, at, s, e in spans], where))

    text_parts, anns, offset = [], [], 0
    for ptext, spans, where in body:
        for label, attrs, s, e in spans:
            anns.append((label, attrs, offset + s, offset + e, where))
        text_parts.append(ptext)
        offset += len(ptext) + 1
    text = "\n".join(text_parts)

    counters, out, ids = {}, [], set()
    anns.sort(key=lambda a: (a[2], -a[3]))
    for label, attrs, s, e, where in anns:
        kind, full = LABELS[label]
        prefix = kind[0]
        if "id" in attrs:
            aid = attrs["id"]
        else:
            counters[prefix] = counters.get(prefix, 0) + 1
            aid = f"{prefix}{counters[prefix]}"
            while aid in ids:
                counters[prefix] += 1
                aid = f"{prefix}{counters[prefix]}"
        if aid in ids:
            raise MarkupError(f"{where}: duplicate id {aid}")
        ids.add(aid)
        span = text[s:e]
        if not span or span != span.strip():
            raise MarkupError(f"{where}: span {span!r} is empty or has outer spaces")
        a = {"id": aid, "kind": kind, "label": full, "start": s, "end": e, "text": span}
        if kind == "quote":
            if "sp" in attrs:
                a["speaker"] = attrs["sp"]
            if "st" in attrs:
                a["speaker_text"] = attrs["st"]
        if kind == "entity":
            a["canonical"] = attrs.get("c", span)
        if kind == "figure":
            if "v" not in attrs:
                raise MarkupError(f"{where}: figure {span!r} has no v=")
            if attrs["v"] != "null":
                a["value"] = number(attrs["v"])
            if "u" in attrs:
                a["unit"] = attrs["u"]
            a["approx"] = bool(attrs.get("a", False))
            if "b" in attrs:
                if attrs["b"] not in ("min", "max"):
                    raise MarkupError(f"{where}: b= must be min or max")
                a["bound"] = attrs["b"]
        a["layer"] = "gold"
        out.append(a)
    for a in out:
        if "speaker" in a and a["speaker"] not in ids:
            raise MarkupError(f"{path.name}: speaker {a['speaker']} of {a['id']} is no annotation")
    doc = {
        "format": "gisa-article/1",
        "id": name,
        "title": title,
        "source": "가상뉴스 (invented for the gisa evaluation set)",
        "published": meta["published"],
        "text": text,
        "annotations": out,
    }
    if "arg" in meta:
        doc["eval_published_arg"] = meta["arg"]
    raw = "\n".join(raw_lines).strip("\n") + "\n"
    gold = json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
    return name, raw, gold


def main():
    check = "--check" in sys.argv
    stale = []
    (HERE / "articles").mkdir(exist_ok=True)
    (HERE / "gold").mkdir(exist_ok=True)
    for path in sorted((HERE / "marked").glob("*.txt")):
        name, raw, gold = convert(path)
        for target, content in ((HERE / "articles" / f"{name}.txt", raw), (HERE / "gold" / f"{name}.json", gold)):
            old = target.read_text(encoding="utf-8") if target.exists() else None
            if old != content:
                stale.append(target.name)
                if not check:
                    target.write_text(content, encoding="utf-8")
    if check and stale:
        sys.exit("out of date: " + ", ".join(stale))
    print(("stale: " if check else "written: ") + (", ".join(stale) or "nothing"))


if __name__ == "__main__":
    try:
        main()
    except MarkupError as e:
        sys.exit(f"markup error: {e}")
