//! Scoring predicted annotations against gold annotations of the same article.
//!
//! A predicted annotation **matches** a gold one when kind, label and both byte offsets are equal
//! (exact boundaries; each gold annotation matches at most one prediction). Per kind the scorer
//! counts gold, predicted and matched spans and derives precision, recall and F1. On the matched
//! pairs it also checks:
//! - quotes: the speaker ([`speaker_key`]: the speaker entity's canonical name, else
//!   `speaker_text`, spaces ignored);
//! - figures: the value (equal within a relative 1e-9, or both absent) and the unit; separately
//!   the qualifiers (`approx`, `bound`);
//! - entities: the canonical name (spaces ignored).
//!
//! Both articles must have the same text (offsets are compared as they are); when they differ
//! nothing matches and [`Score::text_mismatches`] counts the article. Scores add up over a corpus
//! with [`Score::add`]. `gisa score` and the extractor's quality test use this module.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use crate::model::{Annotation, Article, Kind};

/// Counts for one kind or label: gold spans, predicted spans, exact matches.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Annotations in the gold article.
    pub gold: usize,
    /// Annotations in the predicted article.
    pub predicted: usize,
    /// Predicted annotations that match a gold one exactly.
    pub matched: usize,
}

impl Counts {
    /// matched / predicted (1 when nothing was predicted).
    pub fn precision(&self) -> f64 {
        ratio(self.matched, self.predicted)
    }

    /// matched / gold (1 when there is no gold annotation).
    pub fn recall(&self) -> f64 {
        ratio(self.matched, self.gold)
    }

    /// Harmonic mean of precision and recall (0 when both are 0).
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    fn add(&mut self, o: &Counts) {
        self.gold += o.gold;
        self.predicted += o.predicted;
        self.matched += o.matched;
    }
}

/// A proportion: how many of `total` checks were `correct`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Checks that passed.
    pub correct: usize,
    /// Checks made.
    pub total: usize,
}

impl Tally {
    /// correct / total (1 when nothing was checked).
    pub fn rate(&self) -> f64 {
        ratio(self.correct, self.total)
    }

    fn add(&mut self, o: &Tally) {
        self.correct += o.correct;
        self.total += o.total;
    }

    fn check(&mut self, ok: bool) {
        self.total += 1;
        if ok {
            self.correct += 1;
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

/// The score of one article or, added up, of a corpus.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Score {
    /// Counts per kind.
    pub kinds: BTreeMap<Kind, Counts>,
    /// Counts per `kind/LABEL`, e.g. `entity/PERSON`.
    pub labels: BTreeMap<String, Counts>,
    /// Matched quotes whose speaker is right.
    pub speakers: Tally,
    /// Matched figures whose value and unit are right.
    pub values: Tally,
    /// Matched figures whose `approx` and `bound` are right.
    pub qualifiers: Tally,
    /// Matched entities whose canonical name is right.
    pub canonicals: Tally,
    /// Articles whose predicted text differs from the gold text (nothing matched in them).
    pub text_mismatches: usize,
    /// Articles scored.
    pub articles: usize,
}

impl Score {
    /// The counts of one kind (zero when the kind never occurred).
    pub fn kind(&self, kind: Kind) -> Counts {
        self.kinds.get(&kind).copied().unwrap_or_default()
    }

    /// Adds another score (of other articles) to this one.
    pub fn add(&mut self, o: &Score) {
        for (k, c) in &o.kinds {
            self.kinds.entry(*k).or_default().add(c);
        }
        for (k, c) in &o.labels {
            self.labels.entry(k.clone()).or_default().add(c);
        }
        self.speakers.add(&o.speakers);
        self.values.add(&o.values);
        self.qualifiers.add(&o.qualifiers);
        self.canonicals.add(&o.canonicals);
        self.text_mismatches += o.text_mismatches;
        self.articles += o.articles;
    }

    /// A plain-text table: one line per kind, then per label, then the attribute checks.
    pub fn report(&self) -> String {
        let mut s = String::new();
        let _ =
            writeln!(s, "{:<18} {:>5} {:>5} {:>5}  {:>6} {:>6} {:>6}", "kind", "gold", "pred", "match", "P", "R", "F1");
        let mut line = |name: &str, c: &Counts| {
            let _ = writeln!(
                s,
                "{:<18} {:>5} {:>5} {:>5}  {:>6.3} {:>6.3} {:>6.3}",
                name,
                c.gold,
                c.predicted,
                c.matched,
                c.precision(),
                c.recall(),
                c.f1()
            );
        };
        for k in Kind::ALL {
            line(k.as_str(), &self.kind(k));
        }
        for (l, c) in &self.labels {
            line(&format!("  {l}"), c);
        }
        for (name, t) in [
            ("speakers correct", self.speakers),
            ("values correct", self.values),
            ("approx/bound ok", self.qualifiers),
            ("canonical ok", self.canonicals),
        ] {
            let _ = writeln!(s, "{name:<18} {:>5}/{:<5} {:>6.3}", t.correct, t.total, t.rate());
        }
        if self.text_mismatches > 0 {
            let _ = writeln!(s, "text differs from gold in {} article(s)", self.text_mismatches);
        }
        s
    }
}

/// One difference between gold and prediction, for reports and debugging.
#[derive(Debug, Clone, PartialEq)]
pub enum Difference {
    /// A gold annotation nothing matched: (kind, label, covered text).
    Missing(Kind, String, String),
    /// A prediction that matches no gold annotation.
    Spurious(Kind, String, String),
    /// A matched quote with another speaker: (quote text, gold speaker, predicted speaker).
    Speaker(String, Option<String>, Option<String>),
    /// A matched figure with another value or unit: (text, gold, predicted) as `value unit`.
    Value(String, String, String),
    /// A matched figure with other qualifiers: (text, gold, predicted) as `approx bound`.
    Qualifier(String, String, String),
    /// A matched entity with another canonical name: (text, gold, predicted).
    Canonical(String, String, String),
}

/// The result of comparing one article: its score and the differences behind it.
#[derive(Debug, Clone, Default)]
pub struct Comparison {
    /// The score.
    pub score: Score,
    /// What did not agree.
    pub differences: Vec<Difference>,
}

/// The name a quote's speaker is judged by: the speaker entity's canonical name (or its text),
/// else `speaker_text`; whitespace removed. `None` when the quote has no speaker.
pub fn speaker_key(article: &Article, quote: &Annotation) -> Option<String> {
    article.speaker_name(quote).map(|s| squash(&s)).filter(|s| !s.is_empty())
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn same_value(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(x), Some(y)) => (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1.0),
        _ => false,
    }
}

fn value_text(a: &Annotation) -> String {
    let v = a.value.map_or_else(|| "null".to_string(), |v| format!("{v}"));
    format!("{v} {}", a.unit.as_deref().unwrap_or("-"))
}

fn qualifier_text(a: &Annotation) -> String {
    format!("{} {}", if a.approx.unwrap_or(false) { "approx" } else { "exact" }, a.bound.as_deref().unwrap_or("-"))
}

/// Scores `predicted` against `gold` (the same article): see the module documentation.
pub fn compare(gold: &Article, predicted: &Article) -> Comparison {
    let mut cmp = Comparison::default();
    let sc = &mut cmp.score;
    sc.articles = 1;
    for a in &gold.annotations {
        sc.kinds.entry(a.kind).or_default().gold += 1;
        sc.labels.entry(label_key(a)).or_default().gold += 1;
    }
    for a in &predicted.annotations {
        sc.kinds.entry(a.kind).or_default().predicted += 1;
        sc.labels.entry(label_key(a)).or_default().predicted += 1;
    }
    let same_text = gold.text == predicted.text;
    if !same_text {
        sc.text_mismatches = 1;
    }
    // gold annotations by exact key; each is used once
    let mut open: HashMap<(Kind, &str, usize, usize), Vec<usize>> = HashMap::new();
    if same_text {
        for (i, a) in gold.annotations.iter().enumerate().rev() {
            open.entry((a.kind, &*a.label, a.start, a.end)).or_default().push(i);
        }
    }
    let mut used = vec![false; gold.annotations.len()];
    for p in &predicted.annotations {
        let hit = open.get_mut(&(p.kind, &*p.label, p.start, p.end)).and_then(Vec::pop);
        let Some(gi) = hit else {
            cmp.differences.push(Difference::Spurious(p.kind, p.label.to_string(), predicted.span_text(p).to_string()));
            continue;
        };
        used[gi] = true;
        let g = &gold.annotations[gi];
        sc.kinds.entry(p.kind).or_default().matched += 1;
        sc.labels.entry(label_key(p)).or_default().matched += 1;
        let text = gold.span_text(g).to_string();
        match p.kind {
            Kind::Quote => {
                let (gk, pk) = (speaker_key(gold, g), speaker_key(predicted, p));
                sc.speakers.check(gk == pk);
                if gk != pk {
                    cmp.differences.push(Difference::Speaker(short(&text), gk, pk));
                }
            }
            Kind::Figure => {
                let ok = same_value(g.value, p.value) && g.unit == p.unit;
                sc.values.check(ok);
                if !ok {
                    cmp.differences.push(Difference::Value(text.clone(), value_text(g), value_text(p)));
                }
                let q = g.approx.unwrap_or(false) == p.approx.unwrap_or(false) && g.bound == p.bound;
                sc.qualifiers.check(q);
                if !q {
                    cmp.differences.push(Difference::Qualifier(text, qualifier_text(g), qualifier_text(p)));
                }
            }
            Kind::Entity => {
                let (gc, pc) = (squash(g.group_name(&gold.text)), squash(p.group_name(&predicted.text)));
                sc.canonicals.check(gc == pc);
                if gc != pc {
                    cmp.differences.push(Difference::Canonical(text, gc, pc));
                }
            }
            Kind::Caption => {}
        }
    }
    for (i, g) in gold.annotations.iter().enumerate() {
        if !used[i] {
            cmp.differences.push(Difference::Missing(g.kind, g.label.to_string(), short(gold.span_text(g))));
        }
    }
    cmp
}

fn label_key(a: &Annotation) -> String {
    format!("{}/{}", a.kind.as_str(), a.label)
}

fn short(s: &str) -> String {
    if s.chars().count() > 30 {
        let mut t: String = s.chars().take(30).collect();
        t.push('…');
        t
    } else {
        s.to_string()
    }
}

/// A copy of `article` with only the annotations of `layer` (`""` = the default layer).
pub fn only_layer(article: &Article, layer: &str) -> Article {
    let mut a = article.clone();
    a.annotations.retain(|x| x.layer == layer);
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    fn art(text: &str, anns: Vec<Annotation>) -> Article {
        let mut a = Article::from_text("t", text);
        a.annotations = anns;
        a
    }

    fn ann(id: &str, kind: Kind, label: &str, text: &str, part: &str) -> Annotation {
        let s = text.find(part).unwrap();
        Annotation::new(id, kind, label.to_string(), s, s + part.len())
    }

    const T: &str = "김민수 대표는 “매출이 20억 원 늘었다”고 말했다.";

    #[test]
    fn exact_match_counts_and_f1() {
        let gold = art(
            T,
            vec![
                ann("e1", Kind::Entity, "PERSON", T, "김민수"),
                ann("f1", Kind::Figure, "MONEY", T, "20억 원"),
                ann("q1", Kind::Quote, "QUOTE", T, "매출이 20억 원 늘었다"),
            ],
        );
        let pred = art(
            T,
            vec![
                ann("a", Kind::Entity, "PERSON", T, "김민수 대표"), // wrong boundary
                ann("b", Kind::Figure, "MONEY", T, "20억 원"),
                ann("c", Kind::Quote, "QUOTE", T, "매출이 20억 원 늘었다"),
                ann("d", Kind::Entity, "ORG", T, "대표"), // spurious
            ],
        );
        let c = compare(&gold, &pred);
        let e = c.score.kind(Kind::Entity);
        assert_eq!((e.gold, e.predicted, e.matched), (1, 2, 0));
        assert_eq!(e.f1(), 0.0);
        let f = c.score.kind(Kind::Figure);
        assert_eq!((f.precision(), f.recall(), f.f1()), (1.0, 1.0, 1.0));
        assert!(c.differences.contains(&Difference::Missing(Kind::Entity, "PERSON".into(), "김민수".into())));
        assert!(c.differences.contains(&Difference::Spurious(Kind::Entity, "ORG".into(), "대표".into())));
        // P = 1/2, R = 1/1 -> F1 = 2/3 when one of two predictions is right
        let k = Counts { gold: 1, predicted: 2, matched: 1 };
        assert!((k.f1() - 2.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn label_must_agree() {
        let gold = art(T, vec![ann("e1", Kind::Entity, "PERSON", T, "김민수")]);
        let pred = art(T, vec![ann("x", Kind::Entity, "ORG", T, "김민수")]);
        assert_eq!(compare(&gold, &pred).score.kind(Kind::Entity).matched, 0);
    }

    #[test]
    fn speakers_by_canonical_name_or_text() {
        let mut person = ann("e1", Kind::Entity, "PERSON", T, "김민수");
        person.canonical = Some("김민수".into());
        let mut q = ann("q1", Kind::Quote, "QUOTE", T, "매출이 20억 원 늘었다");
        q.speaker = Some("e1".into());
        let gold = art(T, vec![person.clone(), q.clone()]);
        // the prediction names the speaker by text only: "김 민수" squashes to the same key
        let mut pq = q.clone();
        pq.speaker = None;
        pq.speaker_text = Some("김 민수".into());
        let c = compare(&gold, &art(T, vec![pq]));
        assert_eq!(c.score.speakers, Tally { correct: 1, total: 1 });
        // another speaker is wrong, and reported
        let mut wq = q.clone();
        wq.speaker = None;
        wq.speaker_text = Some("업계 관계자".into());
        let c = compare(&gold, &art(T, vec![person, wq]));
        assert_eq!(c.score.speakers, Tally { correct: 0, total: 1 });
        assert!(
            matches!(&c.differences[0], Difference::Speaker(_, Some(g), Some(p)) if g == "김민수" && p == "업계관계자")
        );
    }

    #[test]
    fn figure_values_units_and_qualifiers() {
        let mut g = ann("f1", Kind::Figure, "MONEY", T, "20억 원");
        g.value = Some(2e9);
        g.unit = Some("KRW".into());
        g.approx = Some(false);
        let mut right = g.clone();
        right.value = Some(2_000_000_000.000_000_2);
        let mut wrong_unit = g.clone();
        wrong_unit.unit = Some("USD".into());
        let mut approx = g.clone();
        approx.approx = Some(true);
        approx.bound = Some("max".into());
        for (p, value_ok, qual_ok) in [(right, true, true), (wrong_unit, false, true), (approx, true, false)] {
            let c = compare(&art(T, vec![g.clone()]), &art(T, vec![p]));
            assert_eq!(c.score.values.correct == 1, value_ok);
            assert_eq!(c.score.qualifiers.correct == 1, qual_ok);
        }
        // absent values agree only with absent values
        assert!(same_value(None, None));
        assert!(!same_value(Some(0.0), None));
    }

    #[test]
    fn duplicates_match_once_and_text_mismatch_matches_nothing() {
        let g = ann("f1", Kind::Figure, "MONEY", T, "20억 원");
        let p1 = ann("a", Kind::Figure, "MONEY", T, "20억 원");
        let p2 = ann("b", Kind::Figure, "MONEY", T, "20억 원");
        let c = compare(&art(T, vec![g.clone()]), &art(T, vec![p1.clone(), p2]));
        assert_eq!(c.score.kind(Kind::Figure), Counts { gold: 1, predicted: 2, matched: 1 });
        let c = compare(&art(T, vec![g]), &art("다른 본문", vec![p1]));
        assert_eq!(c.score.kind(Kind::Figure).matched, 0);
        assert_eq!(c.score.text_mismatches, 1);
    }

    #[test]
    fn scores_add_up_and_report() {
        let g = ann("c1", Kind::Caption, "CAPTION", T, T);
        let one = compare(&art(T, vec![g.clone()]), &art(T, vec![g.clone()])).score;
        let none = compare(&art(T, vec![g]), &art(T, vec![])).score;
        let mut total = Score::default();
        total.add(&one);
        total.add(&none);
        assert_eq!(total.articles, 2);
        assert_eq!(total.kind(Kind::Caption), Counts { gold: 2, predicted: 1, matched: 1 });
        assert_eq!(total.kind(Kind::Caption).recall(), 0.5);
        let r = total.report();
        assert!(r.contains("caption"), "{r}");
        assert!(r.contains("  caption/CAPTION"), "{r}");
    }

    #[test]
    fn empty_sides_are_perfect_not_nan() {
        let c = Counts::default();
        assert_eq!((c.precision(), c.recall(), c.f1()), (1.0, 1.0, 1.0));
        assert_eq!(Tally::default().rate(), 1.0);
    }
}
