#!/usr/bin/env python3
"""Builds the sample articles of assets/articles/ from their marked-up sources.

Usage (from anywhere):
    python3 assets/articles-src/build.py           # (re)write assets/articles/*.json(l)
    python3 assets/articles-src/build.py --check   # exit 1 if a written file is out of date

Standard library only. When the `jsonschema` package is importable, every article is also
validated against assets/schema/gisa-article-1.schema.json (skipped with a note otherwise).

Markup (one `NAME.gisa` file gives `NAME.json`, or `NAME.jsonl` when it holds several articles
separated by a line `===`):

    # a comment (header and stand-off sections only)
    id: sample-economy-1          header lines `key: value` up to the first `---`
    title: ... / source: ... / url: ... / published: YYYY-MM-DD
    layer: gold                   default layer of the annotations that name none
    extra.section: 경제           any other top-level field (a string), written as "section"
    ---
    One paragraph per line; blank lines are skipped. A span is
    [[ID:LABEL key=value key="value with spaces"|covered text]], spans nest freely.
    ---
    @ID:LABEL key=value nth=2 => exact text     stand-off span (may cross other spans): the
                                                nth (default 1st) occurrence of the text

The kind comes from `kind=` or else from the id's first letter: q quote, f figure, e entity,
c caption. `value` becomes a number, `approx` a boolean; `kind label speaker speaker_text
canonical unit bound layer status` stay strings; any other key is read as JSON when it parses
(`confidence=0.9` is a number) and kept as a string otherwise.

Offsets are Unicode code points into `text`, half-open, as the native format wants. The script
refuses text that gisa's cleaning would change (not NFC, control or invisible characters), so the
offsets it writes are the offsets gisa shows.
"""

import json
import shlex
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT_DIR = HERE.parent / "articles"
SCHEMA = HERE.parent / "schema" / "gisa-article-1.schema.json"
FORMAT = "gisa-article/1"

KIND_BY_PREFIX = {"q": "quote", "f": "figure", "e": "entity", "c": "caption"}
KINDS = set(KIND_BY_PREFIX.values())
STRING_KEYS = {"kind", "label", "speaker", "speaker_text", "canonical", "unit", "bound", "layer", "status"}
STATUSES = {"unreviewed", "accepted", "rejected", "modified"}
# Key order of a written annotation; other keys follow in the order the markup gives them.
FIRST_KEYS = ["id", "kind", "label", "start", "end", "text"]
META_KEYS = ["id", "title", "source", "url", "published"]
# Characters gisa's cleaning removes or rewrites (see src/clean.rs); none may appear in a sample.
DROPPED = set("\u00ad\ufeff\u200e\u200f\u061c\u3164\uffa0\u115f\u1160\u2028\u2029\u0085") | {
    chr(c) for c in list(range(0x202A, 0x202F)) + list(range(0x2066, 0x206A))
}


class MarkupError(Exception):
    pass


def parse_head(head, where):
    try:
        tokens = shlex.split(head)
    except ValueError as e:
        raise MarkupError(f"{where}: bad span head {head!r}: {e}")
    if not tokens or ":" not in tokens[0]:
        raise MarkupError(f"{where}: span head {head!r} must start with ID:LABEL")
    ann_id, label = tokens[0].split(":", 1)
    attrs = {}
    for tok in tokens[1:]:
        if "=" not in tok:
            raise MarkupError(f"{where}: attribute {tok!r} of {ann_id} is not key=value")
        k, v = tok.split("=", 1)
        attrs[k] = v
    kind = attrs.pop("kind", None) or KIND_BY_PREFIX.get(ann_id[:1])
    if kind not in KINDS:
        raise MarkupError(f"{where}: {ann_id}: cannot tell the kind (give kind=...)")
    return ann_id, kind, label, attrs


def typed(key, raw, where):
    if key in STRING_KEYS:
        return raw
    if key == "value":
        try:
            n = float(raw)
        except ValueError:
            raise MarkupError(f"{where}: value={raw!r} is not a number")
        return int(n) if n.is_integer() and "." not in raw and "e" not in raw.lower() else n
    if key == "approx":
        if raw not in ("true", "false"):
            raise MarkupError(f"{where}: approx={raw!r} must be true or false")
        return raw == "true"
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def parse_body(src, where):
    """Returns (plain text, [(head, start, end)]) in order of the spans' opening."""
    plain = []
    stack = []
    spans = []
    i = 0
    while i < len(src):
        if src.startswith("[[", i):
            j = src.find("|", i + 2)
            if j < 0:
                raise MarkupError(f"{where}: '[[' at {i} has no '|'")
            head = src[i + 2 : j]
            if "[[" in head or "]]" in head or "\n" in head:
                raise MarkupError(f"{where}: bad span head near {src[i:i + 40]!r}")
            slot = len(spans)
            spans.append(None)
            stack.append((slot, head, len(plain)))
            i = j + 1
        elif src.startswith("]]", i):
            if not stack:
                raise MarkupError(f"{where}: ']]' without '[[' near {src[max(0, i - 30):i + 2]!r}")
            slot, head, start = stack.pop()
            spans[slot] = (head, start, len(plain))
            i += 2
        else:
            plain.append(src[i])
            i += 1
    if stack:
        raise MarkupError(f"{where}: unclosed span {stack[-1][1]!r}")
    return "".join(plain), spans


def check_clean(text, where):
    if unicodedata.normalize("NFC", text) != text:
        raise MarkupError(f"{where}: text is not NFC")
    for n, ch in enumerate(text):
        if ch == "\n":
            continue
        if unicodedata.category(ch) == "Cc" or ch in DROPPED:
            raise MarkupError(f"{where}: character U+{ord(ch):04X} at {n} would be removed by cleaning")
    for n, para in enumerate(text.split("\n"), 1):
        if not para.strip() or para != para.strip():
            raise MarkupError(f"{where}: paragraph {n} is empty or has edge spaces")


def build_article(block, where):
    lines = block.split("\n")
    meta, extra, layer = {}, {}, ""
    i = 0
    while i < len(lines) and lines[i].strip() != "---":
        line = lines[i].strip()
        i += 1
        if not line or line.startswith("#"):
            continue
        if ":" not in line:
            raise MarkupError(f"{where}: header line {line!r} is not key: value")
        k, v = (s.strip() for s in line.split(":", 1))
        if k in META_KEYS:
            meta[k] = v
        elif k == "layer":
            layer = v
        elif k.startswith("extra."):
            extra[k[len("extra.") :]] = v
        else:
            raise MarkupError(f"{where}: unknown header key {k!r}")
    if i == len(lines):
        raise MarkupError(f"{where}: no '---' after the header")
    i += 1
    body = []
    while i < len(lines) and lines[i].strip() != "---":
        if lines[i].strip():
            body.append(lines[i].strip())
        i += 1
    standoff = [ln.strip() for ln in lines[i + 1 :] if ln.strip() and not ln.strip().startswith("#")]
    where = f"{where} ({meta.get('id', '?')})"
    text, spans = parse_body("\n".join(body), where)
    check_clean(text, where)

    anns = []
    for head, start, end in spans:
        anns.append(make_ann(parse_head(head, where), start, end, text, layer, where))
    for line in standoff:
        if not line.startswith("@") or " => " not in line:
            raise MarkupError(f"{where}: stand-off line {line!r} must be '@ID:LABEL ... => text'")
        head, anchor = line[1:].split(" => ", 1)
        ann_id, kind, label, attrs = parse_head(head, where)
        nth = int(attrs.pop("nth", "1"))
        pos = -1
        for _ in range(nth):
            pos = text.find(anchor, pos + 1)
            if pos < 0:
                raise MarkupError(f"{where}: {ann_id}: occurrence {nth} of {anchor!r} not found")
        anns.append(make_ann((ann_id, kind, label, attrs), pos, pos + len(anchor), text, layer, where))
    # reading order: start ascending, longer spans first; stable otherwise
    anns.sort(key=lambda a: (a["start"], -a["end"]))
    check_annotations(anns, where)

    article = {"format": FORMAT}
    for k in META_KEYS:
        if k in meta:
            article[k] = meta[k]
    article.update(extra)
    article["text"] = text
    article["annotations"] = anns
    paras = text.count("\n") + 1
    if not 6 <= paras <= 15:
        raise MarkupError(f"{where}: {paras} paragraphs; the samples have 6 to 15")
    return article


def make_ann(parts, start, end, text, layer, where):
    ann_id, kind, label, attrs = parts
    ann = {"id": ann_id, "kind": kind, "label": label, "start": start, "end": end, "text": text[start:end]}
    for k, v in attrs.items():
        ann[k] = typed(k, v, f"{where}: {ann_id}")
    if layer and "layer" not in ann:
        ann["layer"] = layer
    # move layer and status last, as the loader writes them
    for k in ("layer", "status"):
        if k in ann:
            ann[k] = ann.pop(k)
    return ann


def check_annotations(anns, where):
    by_id = {}
    for a in anns:
        w = f"{where}: {a['id']}"
        if a["id"] in by_id:
            raise MarkupError(f"{w}: duplicate id")
        by_id[a["id"]] = a
        if a["start"] >= a["end"]:
            raise MarkupError(f"{w}: empty span")
        if a["text"] != a["text"].strip():
            raise MarkupError(f"{w}: span has edge spaces: {a['text']!r}")
        if a["kind"] == "figure" and ("value" not in a or "unit" not in a):
            raise MarkupError(f"{w}: a figure needs value and unit")
        if a.get("unit") == "date":
            v = a["value"]
            if not (isinstance(v, int) and 19000000 <= v <= 21001231 and (v // 100) % 100 <= 12 and v % 100 <= 31):
                raise MarkupError(f"{w}: a date value is YYYYMMDD (00 for an unknown month or day), got {v}")
        if a.get("bound") not in (None, "min", "max"):
            raise MarkupError(f"{w}: bound must be min or max")
        if a.get("status") not in (None, *STATUSES):
            raise MarkupError(f"{w}: unknown status {a['status']!r}")
        if "speaker" in a and "speaker_text" in a:
            raise MarkupError(f"{w}: give speaker or speaker_text, not both")
    for a in anns:
        sp = a.get("speaker")
        if sp is not None:
            e = by_id.get(sp)
            if e is None or e["kind"] != "entity" or e["label"] != "PERSON":
                raise MarkupError(f"{where}: {a['id']}: speaker {sp!r} is no PERSON entity")


def dump_pretty(article):
    parts = []
    for k, v in article.items():
        if k == "annotations":
            rows = ",\n".join("    " + json.dumps(a, ensure_ascii=False) for a in v)
            parts.append(f'  "annotations": [\n{rows}\n  ]')
        else:
            parts.append(f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def build(source):
    blocks = [b for b in source.read_text(encoding="utf-8").split("\n===\n") if b.strip()]
    articles = [build_article(b, f"{source.name} article {n}") for n, b in enumerate(blocks, 1)]
    if len(articles) == 1:
        return source.stem + ".json", articles, dump_pretty(articles[0])
    return source.stem + ".jsonl", articles, "".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles)


def validate_schema(outputs):
    try:
        import jsonschema
    except ImportError:
        print("note: python package jsonschema not found; schema validation skipped")
        return True
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    ok = True
    for name, articles, content in outputs:
        docs = [json.loads(content)] if name.endswith(".json") else [json.loads(ln) for ln in content.splitlines()]
        for doc in docs:
            for err in validator.iter_errors(doc):
                ok = False
                print(f"{name}: schema: {'/'.join(map(str, err.absolute_path))}: {err.message}", file=sys.stderr)
    # the schema must also reject what the loader cannot use at all
    for bad in ({"id": "no-text"}, {"text": 5}, [], {"text": "a", "annotations": {}}):
        if validator.is_valid(bad):
            ok = False
            print(f"schema: accepts {bad!r}, which the loader refuses", file=sys.stderr)
    return ok


def main(argv):
    check = "--check" in argv
    outputs = []
    try:
        for source in sorted(HERE.glob("*.gisa")):
            outputs.append(build(source))
    except MarkupError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    names = [n for n, _, _ in outputs]
    if len(set(names)) != len(names):
        print("error: two sources give the same file name", file=sys.stderr)
        return 2
    stale = []
    for name, articles, content in outputs:
        path = OUT_DIR / name
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != content:
                stale.append(name)
        else:
            path.write_text(content, encoding="utf-8")
            n_ann = sum(len(a["annotations"]) for a in articles)
            print(f"wrote {name}: {len(articles)} article(s), {n_ann} annotations")
    schema_ok = validate_schema(outputs)
    if stale:
        print("out of date (run build.py): " + ", ".join(stale), file=sys.stderr)
    return 1 if stale or not schema_ok else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
