//! KLUE-NER TSV: one sentence per block, one character per line with its BIO tag.
//!
//! ```text
//! ## klue-ner-v1_dev_00000-wikitree<TAB><경찰:OG>은 또 …
//! 경<TAB>B-OG
//! 찰<TAB>I-OG
//! 은<TAB>O
//!  <TAB>O            ← spaces have their own line
//! ```
//!
//! Blocks are separated by blank lines. In a block, `##` lines come first: the last one with a
//! TAB is the sentence header (`## GUID<TAB>inline sentence`); the `##` lines before it (the
//! file's own header: separators, column names) are comments. Each sentence becomes one
//! article (id = GUID); offsets are characters (code points) of the sentence, so the conversion
//! is exact. Tags are `O`, `B-TAG`, `I-TAG` (`PS`, `LC`, `OG`, `DT`, `TI`, `QT`, or any other).
//!
//! The inline form (`<text:TAG>`) is the check: when its plain text or its entities differ from
//! the character lines, the article gets a problem saying how. A block with a header and no
//! character lines is read from the inline form. An `I-` tag that continues nothing (after `O`,
//! at the start, or after another type) is read as the start of an entity, with a problem
//! naming the line. The layer is `""`.

use std::path::PathBuf;

use super::raw::{finish, Kinds, RawDoc, RawSpan};
use crate::ingest::{LoadError, Loaded};
use crate::labels::LabelMap;
use crate::offsets::Unit;

/// True when the text looks like KLUE-NER (a `CHAR<TAB>O|B-X|I-X` line near the start).
pub fn looks_like(head: &[u8]) -> bool {
    let s = String::from_utf8_lossy(head);
    s.lines().take(200).any(|l| {
        l.rsplit_once('\t')
            .is_some_and(|(c, t)| !c.starts_with("##") && (t == "O" || t.starts_with("B-") || t.starts_with("I-")))
    })
}

/// Parses the inline form `text <ent:TAG> text`: the plain text and (start, end, tag) in code
/// points.
pub fn parse_inline(s: &str) -> (String, Vec<(usize, usize, String)>) {
    let mut out = String::with_capacity(s.len());
    let mut spans = Vec::new();
    let mut n = 0usize; // code points written
    let mut rest = s;
    while let Some(p) = rest.find('<') {
        let before = &rest[..p];
        out.push_str(before);
        n += before.chars().count();
        let after = &rest[p + 1..];
        // an entity is <TEXT:TAG> with no '<' or '>' inside; the tag is after the last ':'
        let close = after.find('>');
        let open = after.find('<');
        let ent = close.filter(|&c| open.is_none_or(|o| o > c)).and_then(|c| {
            let inner = &after[..c];
            let (text, tag) = inner.rsplit_once(':')?;
            let ok =
                !text.is_empty() && !tag.is_empty() && tag.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_');
            ok.then_some((text, tag, c))
        });
        match ent {
            Some((text, tag, c)) => {
                let len = text.chars().count();
                out.push_str(text);
                spans.push((n, n + len, tag.to_string()));
                n += len;
                rest = &after[c + 1..];
            }
            None => {
                out.push('<');
                n += 1;
                rest = after;
            }
        }
    }
    out.push_str(rest);
    (out, spans)
}

struct Block<'a> {
    header: Option<(usize, &'a str, &'a str)>,
    chars: Vec<(usize, &'a str)>,
}

/// Parses a KLUE-NER TSV file.
pub fn parse(name: &str, text: &str, labels: &LabelMap) -> Result<Loaded, LoadError> {
    let mut blocks: Vec<Block<'_>> = Vec::new();
    let mut cur = Block { header: None, chars: Vec::new() };
    for (i, line) in text.split('\n').enumerate() {
        let n = i + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.is_empty() {
            if cur.header.is_some() || !cur.chars.is_empty() {
                blocks.push(std::mem::replace(&mut cur, Block { header: None, chars: Vec::new() }));
            }
            continue;
        }
        if line.starts_with("##") && cur.chars.is_empty() {
            if let Some((guid, inline)) = line[2..].split_once('\t') {
                cur.header = Some((n, guid.trim(), inline));
            }
            continue;
        }
        cur.chars.push((n, line));
    }
    if cur.header.is_some() || !cur.chars.is_empty() {
        blocks.push(cur);
    }
    let mut kinds = Kinds::new(labels);
    let mut loaded = Loaded { path: PathBuf::from(name), ..Default::default() };
    for (bi, b) in blocks.into_iter().enumerate() {
        let id = b.header.map(|h| h.1.to_string()).filter(|s| !s.is_empty()).unwrap_or_else(|| format!("#{}", bi + 1));
        let first_line = b.header.map(|h| h.0).or(b.chars.first().map(|c| c.0)).unwrap_or(0);
        if b.chars.is_empty() {
            let Some((n, _, inline)) = b.header else { continue };
            let (plain, ents) = parse_inline(inline);
            let mut doc = RawDoc::new(id, plain, Unit::CodePoint);
            for (k, (s, e, tag)) in ents.into_iter().enumerate() {
                doc.spans.push(RawSpan::new(super::raw::hash_id(k + 1), tag, s, e, format!("line {n}")));
            }
            loaded.articles.push(finish(doc, &mut kinds));
            continue;
        }
        let mut sentence = String::new();
        let mut doc = RawDoc::new(id, String::new(), Unit::CodePoint);
        let mut pos = 0usize;
        // open entity: (start, tag, first line)
        let mut open: Option<(usize, String, usize)> = None;
        let mut k = 0usize;
        let mut close = |doc: &mut RawDoc, open: &mut Option<(usize, String, usize)>, end: usize| {
            if let Some((s, tag, ln)) = open.take() {
                k += 1;
                doc.spans.push(RawSpan::new(super::raw::hash_id(k), tag, s, end, format!("line {ln}")));
            }
        };
        for &(n, line) in &b.chars {
            let Some((ch, tag)) = line.rsplit_once('\t') else {
                doc.problems.push((
                    None,
                    format!("line {n}: expected CHARACTER<TAB>TAG, found {line:?}; read as an untagged character"),
                ));
                close(&mut doc, &mut open, pos);
                sentence.push_str(line);
                pos += line.chars().count();
                continue;
            };
            let ch = if ch.is_empty() {
                doc.problems
                    .push((None, format!("line {n}: the character is empty (a stripped space?); read as a space")));
                " "
            } else {
                ch
            };
            let tag = tag.trim();
            let len = ch.chars().count();
            if tag == "O" {
                close(&mut doc, &mut open, pos);
            } else if let Some(t) = tag.strip_prefix("B-") {
                close(&mut doc, &mut open, pos);
                open = Some((pos, t.to_string(), n));
            } else if let Some(t) = tag.strip_prefix("I-") {
                match &open {
                    Some((_, ot, _)) if ot == t => {}
                    other => {
                        let after = match other {
                            Some((_, ot, _)) => format!("follows an {ot} entity"),
                            None if pos == 0 => "starts the sentence".to_string(),
                            None => "follows O".to_string(),
                        };
                        doc.problems.push((
                            None,
                            format!("line {n}: I-{t} {after} (no B-{t} before it); read as the start of a {t} entity"),
                        ));
                        close(&mut doc, &mut open, pos);
                        open = Some((pos, t.to_string(), n));
                    }
                }
            } else {
                doc.problems
                    .push((None, format!("line {n}: unknown tag {tag:?} (expected O, B-TAG or I-TAG); read as O")));
                close(&mut doc, &mut open, pos);
            }
            sentence.push_str(ch);
            pos += len;
        }
        close(&mut doc, &mut open, pos);
        // the inline form is the check
        if let Some((n, _, inline)) = b.header {
            let (plain, ents) = parse_inline(inline);
            if plain != sentence {
                doc.problems.push((
                    None,
                    format!("line {n}: the inline sentence differs from the characters below it ({}); the characters are used", first_difference(&plain, &sentence)),
                ));
            } else {
                let tagged: Vec<(usize, usize, &str)> =
                    doc.spans.iter().map(|s| (s.frags[0].0, s.frags[0].1, s.label.as_str())).collect();
                let inl: Vec<(usize, usize, &str)> = ents.iter().map(|(s, e, t)| (*s, *e, t.as_str())).collect();
                let chars: Vec<char> = sentence.chars().collect();
                let show =
                    |&(s, e, t): &(usize, usize, &str)| format!("<{}:{t}>", chars[s..e].iter().collect::<String>());
                let only_inline: Vec<String> = inl.iter().filter(|x| !tagged.contains(x)).map(show).collect();
                let only_tags: Vec<String> = tagged.iter().filter(|x| !inl.contains(x)).map(show).collect();
                if !only_inline.is_empty() || !only_tags.is_empty() {
                    doc.problems.push((
                        None,
                        format!(
                            "line {n}: the inline sentence and the tags disagree (only inline: {}; only tagged: {}); the tags are used",
                            if only_inline.is_empty() { "none".into() } else { only_inline.join(" ") },
                            if only_tags.is_empty() { "none".into() } else { only_tags.join(" ") }
                        ),
                    ));
                }
            }
        } else {
            doc.problems
                .push((None, format!("line {first_line}: the sentence has no \"## GUID<TAB>sentence\" header")));
        }
        doc.text = sentence;
        loaded.articles.push(finish(doc, &mut kinds));
    }
    if loaded.articles.is_empty() {
        return Err(LoadError::new(
            name,
            "",
            "no KLUE sentence in it (expected ## GUID<TAB>SENTENCE then CHAR<TAB>TAG lines)",
        ));
    }
    Ok(loaded)
}

fn first_difference(a: &str, b: &str) -> String {
    let i = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    let ctx = |s: &str| s.chars().skip(i.saturating_sub(3)).take(8).collect::<String>();
    format!("at character {i}: inline {:?}, characters {:?}", ctx(a), ctx(b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Kind;

    #[test]
    fn inline_form_parses_with_colons_and_stray_brackets() {
        let (p, s) = parse_inline("<10:30:TI>에 a<b <김:PS>씨");
        assert_eq!(p, "10:30에 a<b 김씨");
        assert_eq!(s, vec![(0, 5, "TI".to_string()), (11, 12, "PS".to_string())]);
    }

    #[test]
    fn characters_become_spans_and_inline_checks_them() {
        let t = "## 토큰 구분자 : \\n\n## 컬럼명 : CHAR\tNE_TAG\n## s1\t<김:PS>씨 <3명:QT>\n김\tB-PS\n씨\tO\n \tO\n3\tB-QT\n명\tI-QT\n\n## s2\t<서울:LC>\n서\tI-LC\n울\tI-LC\n";
        let l = parse("k.tsv", t, &LabelMap::new()).unwrap();
        assert_eq!(l.articles.len(), 2);
        let a = &l.articles[0];
        assert_eq!(a.id, "s1");
        assert_eq!(a.text, "김씨 3명");
        assert!(a.problems.is_empty(), "{:?}", a.problems);
        assert_eq!(a.annotations[1].kind, Kind::Figure);
        assert_eq!(a.span_text(&a.annotations[1]), "3명");
        let b = &l.articles[1];
        assert_eq!(b.problems.len(), 1, "{:?}", b.problems);
        assert_eq!(
            b.problems[0].message,
            "line 11: I-LC starts the sentence (no B-LC before it); read as the start of a LC entity"
        );
        assert_eq!(b.span_text(&b.annotations[0]), "서울");
    }

    #[test]
    fn disagreement_with_inline_is_reported() {
        let t = "## s1\t<김씨:PS>\n김\tB-PS\n씨\tO\n";
        let l = parse("k.tsv", t, &LabelMap::new()).unwrap();
        let m = &l.articles[0].problems[0].message;
        assert_eq!(m, "line 1: the inline sentence and the tags disagree (only inline: <김씨:PS>; only tagged: <김:PS>); the tags are used");
    }
}
