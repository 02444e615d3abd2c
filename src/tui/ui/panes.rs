//! The side panes: Quotes (speaker and opening words), Figures (surface form, normalised value
//! and unit, `~` when approximate), Entities (grouped by name: label, name, mention count).
//! The selected row follows the text; in a focused pane it is reverse video.

use gisa::layout::str_width;
use gisa::model::Annotation;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

use super::paint;
use crate::tui::app::{pane_rows, App, Doc, Focus, PaneKind};
use crate::tui::theme::Theme;

/// Draws the panes the geometry shows.
pub fn render(app: &App, buf: &mut Buffer) {
    for &(p, r) in &app.screen.panes {
        pane(app, buf, p, r);
    }
}

fn pane(app: &App, buf: &mut Buffer, p: PaneKind, r: Rect) {
    let th = app.theme;
    let d = app.doc();
    let focused = app.focus == Focus::Pane(p) && app.overlay.is_none();
    paint::border(buf, r, th.glyphs(), th.border(focused));
    let len = d.pane_len(p);
    let st = d.view.panes[pane_index(p)];
    let count = if len == 0 { "0".to_string() } else { format!("{}/{}", st.selected.min(len - 1) + 1, len) };
    paint::border_labels(buf, r, r.top(), p.title(), th.title(focused), &count, th.dim(), th.ellipsis(), th.ambiwide);
    if r.width < 5 {
        return;
    }
    let x0 = r.left() + 1;
    // one spare column before the right border
    let right = r.right() - 2;
    if len == 0 {
        if pane_rows(r) > 0 {
            paint::put_str(buf, x0 + 1, r.top() + 1, right, "(none)", th.dim(), th.ambiwide);
        }
        return;
    }
    for row in 0..pane_rows(r) {
        let i = st.offset + row;
        if i >= len {
            break;
        }
        let y = r.top() + 1 + row as u16;
        let sel = i == st.selected;
        let base = if sel { th.selected(focused) } else { Style::new() };
        if sel {
            paint::fill(buf, Rect::new(x0, y, right - x0, 1), base);
        }
        let (segs, tail, flagged) = row_content(d, &th, p, i);
        let mut x = paint::put_str(buf, x0, y, right, if sel { ">" } else { " " }, base, th.ambiwide);
        x = paint::put_str(buf, x, y, right, if flagged { "!" } else { " " }, th.warn().patch(base), th.ambiwide);
        let tail_w = tail.as_ref().map_or(0, |(t, _)| str_width(t, th.ambiwide) as u16 + 1);
        let text_right = if tail_w > 0 && right.saturating_sub(x) > tail_w + 6 { right - tail_w } else { right };
        for (k, (s, style)) in segs.iter().enumerate() {
            if x >= text_right {
                break;
            }
            let st = style.patch(base);
            x = if k + 1 == segs.len() {
                paint::put_trunc(buf, x, y, text_right, s, st, th.ellipsis(), th.ambiwide)
            } else {
                paint::put_str(buf, x, y, text_right, s, st, th.ambiwide)
            };
        }
        if let (Some((t, style)), true) = (&tail, text_right < right) {
            paint::put_str(buf, right - tail_w + 1, y, right, t, style.patch(base), th.ambiwide);
        }
    }
}

fn pane_index(p: PaneKind) -> usize {
    PaneKind::ALL.iter().position(|k| *k == p).unwrap_or(0)
}

type Segs = Vec<(String, Style)>;

/// The text of one row: styled segments, an optional right-aligned tail, and whether it is
/// flagged.
fn row_content(d: &Doc, th: &Theme, p: PaneKind, i: usize) -> (Segs, Option<(String, Style)>, bool) {
    let text = &d.article.text;
    let anns = &d.article.annotations;
    match p {
        PaneKind::Quotes => {
            let Some(qi) = d.pane_ann(p, i) else { return (Vec::new(), None, false) };
            let q = &anns[qi as usize];
            let speaker = d.speaker(qi);
            let mut segs = Vec::new();
            match speaker {
                Some(s) => segs.push((format!("{s} "), th.kind(gisa::model::Kind::Entity))),
                None => segs.push(("? ".to_string(), th.dim())),
            }
            segs.push((opening(text.get(q.range()).unwrap_or("")), th.kind(q.kind)));
            (segs, None, q.is_flagged())
        }
        PaneKind::Figures => {
            let Some(f) = d.pane_ann(p, i).map(|f| &anns[f as usize]) else { return (Vec::new(), None, false) };
            let surface = one_line(text.get(f.range()).unwrap_or(""));
            let segs = vec![(surface, th.kind(f.kind)), (format!("  {}", normalised(f)), th.dim())];
            (segs, None, f.is_flagged())
        }
        PaneKind::Entities => {
            let Some(g) = d.groups.get(i) else { return (Vec::new(), None, false) };
            let lw = d.label_width.min(8);
            let pad = lw.saturating_sub(str_width(&g.label, th.ambiwide));
            let label = format!("{}{} ", g.label, " ".repeat(pad));
            let segs = vec![(label, th.dim()), (one_line(&g.name), th.kind(gisa::model::Kind::Entity))];
            (segs, Some((g.mentions.len().to_string(), th.dim())), g.flagged)
        }
    }
}

/// Whitespace runs (line breaks included) as single spaces.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The opening words of a quote (the row truncates it further to fit).
fn opening(s: &str) -> String {
    let s = one_line(s);
    let mut out = String::new();
    for (n, w) in s.split(' ').enumerate() {
        if n == 8 {
            out.push('…');
            break;
        }
        if n > 0 {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// A figure's normalised form: `~` when approximate, `>=`/`<=` when bounded, value and unit.
pub fn normalised(f: &Annotation) -> String {
    let mut s = String::new();
    if f.approx == Some(true) {
        s.push('~');
    }
    match f.bound.as_deref() {
        Some("min") => s.push_str(">="),
        Some("max") => s.push_str("<="),
        _ => {}
    }
    if let Some(d) = f.value.and_then(|v| format_grained_date(f.unit.as_deref()?, v)) {
        s.push_str(&d);
        return s;
    }
    match f.value {
        Some(v) => s.push_str(&format_value(v)),
        None => s.push('?'),
    }
    if let Some(u) = &f.unit {
        s.push(' ');
        s.push_str(u);
    }
    s
}

/// A date figure by its unit: `date` (YYYYMMDD with `00` for what is not given) or the
/// extractor's `date:<grain>` units (docs/FORMAT.md, Dates). `None` when it is no date.
fn format_grained_date(unit: &str, v: f64) -> Option<String> {
    if v.fract() != 0.0 || !(0.0..=99_999_999.0).contains(&v) {
        return None;
    }
    let n = v as u32;
    match unit {
        "date" | "date:day" => format_date(v),
        "date:week" => format_date(v).map(|d| format!("week of {d}")),
        "date:month" => Some(format!("{}-{:02}", n / 100, n % 100)),
        "date:quarter" => Some(format!("{} Q{}", n / 10, n % 10)),
        "date:half" => Some(format!("{} H{}", n / 10, n % 10)),
        "date:year" => Some(n.to_string()),
        _ => None,
    }
}

/// A date figure's value (YYYYMMDD, `00` for a month or day not given) as `2025-07-24`,
/// `2026-03` or `2030`.
pub fn format_date(v: f64) -> Option<String> {
    if v.fract() != 0.0 || !(0.0..=99_999_999.0).contains(&v) {
        return None;
    }
    let n = v as u32;
    let (y, m, d) = (n / 10_000, n / 100 % 100, n % 100);
    Some(match (m, d) {
        (0, _) => format!("{y:04}"),
        (_, 0) => format!("{y:04}-{m:02}"),
        _ => format!("{y:04}-{m:02}-{d:02}"),
    })
}

/// A number with thousands separators when it is whole, else up to six decimals.
pub fn format_value(v: f64) -> String {
    if !v.is_finite() {
        return v.to_string();
    }
    if v.fract() == 0.0 && v.abs() < 1e18 {
        let n = v.abs() as u64;
        let digits = n.to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        if v < 0.0 {
            out.insert(0, '-');
        }
        return out;
    }
    let s = format!("{v:.6}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use gisa::model::Kind;

    #[test]
    fn values_are_readable() {
        assert_eq!(format_value(57_000_000_000.0), "57,000,000,000");
        assert_eq!(format_value(120.0), "120");
        assert_eq!(format_value(-1500.0), "-1,500");
        assert_eq!(format_value(2.5), "2.5");
        assert_eq!(format_value(0.125), "0.125");
        let mut f = Annotation::new("f", Kind::Figure, "MONEY", 0, 1);
        f.value = Some(3000.0);
        f.unit = Some("KRW".into());
        f.bound = Some("min".into());
        assert_eq!(normalised(&f), ">=3,000 KRW");
        f.bound = None;
        f.approx = Some(true);
        assert_eq!(normalised(&f), "~3,000 KRW");
        f.unit = Some("date".into());
        f.value = Some(20_250_800.0);
        assert_eq!(normalised(&f), "~2025-08");
        f.approx = None;
        f.value = Some(20_250_724.0);
        assert_eq!(normalised(&f), "2025-07-24");
        f.value = Some(20_300_000.0);
        assert_eq!(normalised(&f), "2030");
        f.value = Some(2.5);
        assert_eq!(normalised(&f), "2.5 date", "not a YYYYMMDD value: shown as given");
        // the extractor's grained dates
        for (unit, v, shown) in [
            ("date:day", 20_250_321.0, "2025-03-21"),
            ("date:week", 20_250_317.0, "week of 2025-03-17"),
            ("date:month", 202_603.0, "2026-03"),
            ("date:quarter", 20_253.0, "2025 Q3"),
            ("date:half", 20_252.0, "2025 H2"),
            ("date:year", 2026.0, "2026"),
        ] {
            f.unit = Some(unit.into());
            f.value = Some(v);
            assert_eq!(normalised(&f), shown, "{unit}");
        }
    }

    #[test]
    fn openings_are_short_and_on_one_line() {
        assert_eq!(opening("“가 나\n다”"), "“가 나 다”");
        assert_eq!(opening("하나 둘 셋 넷 다섯 여섯 일곱 여덟 아홉 열"), "하나 둘 셋 넷 다섯 여섯 일곱 여덟…");
    }
}
