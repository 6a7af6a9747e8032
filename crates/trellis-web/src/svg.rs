//! The returning-builders trend as an SVG sparkline: drawn here, styled by the CSS, no
//! chart library and no script.

/// A polyline of rates (0–1) across a 300×60 box; gaps (events without data) break the line.
/// Its accessible name says the same in words: each rate as a percentage, in order.
pub fn sparkline(rates: &[Option<f64>]) -> String {
    const W: f64 = 300.0;
    const H: f64 = 60.0;
    const PAD: f64 = 4.0;
    if rates.is_empty() {
        return String::new();
    }
    let step = if rates.len() > 1 {
        (W - 2.0 * PAD) / (rates.len() - 1) as f64
    } else {
        0.0
    };
    let point = |i: usize, r: f64| {
        (
            PAD + step * i as f64,
            H - PAD - r.clamp(0.0, 1.0) * (H - 2.0 * PAD),
        )
    };
    let mut segments: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
    for (i, r) in rates.iter().enumerate() {
        match r {
            Some(r) => segments
                .last_mut()
                .map(|s| s.push(point(i, *r)))
                .unwrap_or_default(),
            None => segments.push(Vec::new()),
        }
    }
    let words: Vec<String> = rates
        .iter()
        .map(|r| r.map_or("no data".to_owned(), |r| format!("{:.0}%", r * 100.0)))
        .collect();
    // Only numbers go into the name: nothing here needs escaping.
    let name = format!(
        "Returning builders at the last {} held events, oldest first: {}",
        rates.len(),
        words.join(", ")
    );
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {W} {H}\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"{name}\"><title>{name}</title>"
    );
    for seg in segments.iter().filter(|s| !s.is_empty()) {
        let pts: Vec<String> = seg.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
        svg.push_str(&format!("<polyline points=\"{}\"/>", pts.join(" ")));
    }
    if let Some((x, y)) = segments.iter().rev().find_map(|s| s.last()) {
        svg.push_str(&format!("<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"3\"/>"));
    }
    svg.push_str("</svg>");
    svg
}

/// Text for SVG content and attributes.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Opens a chart whose accessible name is `title` and whose description, `desc`, says its
/// numbers in words (the text alternative).
fn open(w: f64, h: f64, class: &str, title: &str, desc: &str) -> String {
    let (title, desc) = (esc(title), esc(desc));
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"{class}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{title}\"><title>{title}</title><desc>{desc}</desc>"
    )
}

/// A metric's trend: one point per period, a line through those with data, each labelled
/// below with its period (`(label, value)`), the scale from 0 to `max`. `fmt` words a value.
pub fn trend(
    title: &str,
    points: &[(String, Option<f64>)],
    max: f64,
    fmt: fn(f64) -> String,
) -> String {
    const W: f64 = 320.0;
    const H: f64 = 120.0;
    const LEFT: f64 = 8.0;
    const TOP: f64 = 16.0;
    const BOTTOM: f64 = 22.0;
    if points.is_empty() {
        return String::new();
    }
    let max = if max > 0.0 { max } else { 1.0 };
    let step = (W - 2.0 * LEFT) / points.len().max(1) as f64;
    let x = |i: usize| LEFT + step * (i as f64 + 0.5);
    let y = |v: f64| TOP + (1.0 - (v / max).clamp(0.0, 1.0)) * (H - TOP - BOTTOM);
    let words: Vec<String> = points
        .iter()
        .map(|(l, v)| format!("{l}: {}", v.map_or("no data".to_owned(), fmt)))
        .collect();
    let mut svg = open(W, H, "trend", title, &words.join("; "));
    svg.push_str(&format!(
        "<line class=\"axis\" x1=\"{LEFT}\" y1=\"{b:.1}\" x2=\"{r:.1}\" y2=\"{b:.1}\"/>",
        b = H - BOTTOM,
        r = W - LEFT
    ));
    let mut line: Vec<String> = Vec::new();
    for (i, (label, v)) in points.iter().enumerate() {
        svg.push_str(&format!(
            "<text class=\"tick\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            x(i),
            H - 6.0,
            esc(label)
        ));
        match v {
            Some(v) => {
                line.push(format!("{:.1},{:.1}", x(i), y(*v)));
                svg.push_str(&format!(
                    "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\"/><text class=\"value\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
                    x(i),
                    y(*v),
                    x(i),
                    y(*v) - 6.0,
                    esc(&fmt(*v))
                ));
            }
            None => {
                if line.len() > 1 {
                    svg.push_str(&format!("<polyline points=\"{}\"/>", line.join(" ")));
                }
                line.clear();
            }
        }
    }
    if line.len() > 1 {
        svg.push_str(&format!("<polyline points=\"{}\"/>", line.join(" ")));
    }
    svg.push_str("</svg>");
    svg
}

/// Messages per day as bars: the baseline's days, then the window's (from `window`, drawn
/// darker), with the baseline's mean per day as a dashed line across. `first` names the
/// first day (a date) and `start` the event's day, for the description.
pub fn daily(
    counts: &[u64],
    window: usize,
    baseline_per_day: f64,
    first: &str,
    start: &str,
) -> String {
    const W: f64 = 640.0;
    const H: f64 = 140.0;
    const TOP: f64 = 10.0;
    const BOTTOM: f64 = 18.0;
    if counts.is_empty() {
        return String::new();
    }
    let most = counts.iter().copied().max().unwrap_or(0) as f64;
    let max = most.max(baseline_per_day).max(1.0);
    let step = W / counts.len() as f64;
    let y = |v: f64| TOP + (1.0 - v / max) * (H - TOP - BOTTOM);
    let in_window: Vec<String> = counts.iter().skip(window).map(u64::to_string).collect();
    let desc = format!(
        "{} days from {first}; the baseline before the event averages {baseline_per_day:.1} messages a day; from the event on {start}, messages per day: {}",
        counts.len(),
        in_window.join(", ")
    );
    let mut svg = open(
        W,
        H,
        "daily",
        "Messages per day around the event, against the baseline",
        &desc,
    );
    for (i, c) in counts.iter().enumerate() {
        let top = y(*c as f64);
        let class = if i >= window { "in" } else { "base" };
        svg.push_str(&format!(
            "<rect class=\"{class}\" x=\"{:.1}\" y=\"{top:.1}\" width=\"{:.1}\" height=\"{:.1}\"/>",
            i as f64 * step + 1.0,
            (step - 2.0).max(1.0),
            (H - BOTTOM - top).max(0.0)
        ));
    }
    let b = y(baseline_per_day);
    svg.push_str(&format!(
        "<line class=\"baseline\" x1=\"0\" y1=\"{b:.1}\" x2=\"{W}\" y2=\"{b:.1}\"/>"
    ));
    let x0 = window as f64 * step;
    svg.push_str(&format!(
        "<line class=\"start\" x1=\"{x0:.1}\" y1=\"{TOP}\" x2=\"{x0:.1}\" y2=\"{:.1}\"/><text class=\"tick\" x=\"2\" y=\"{:.1}\">{}</text><text class=\"tick\" x=\"{:.1}\" y=\"{:.1}\">{}</text>",
        H - BOTTOM,
        H - 4.0,
        esc(first),
        x0 + 2.0,
        H - 4.0,
        esc(start)
    ));
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_a_line_with_a_gap() {
        let s = sparkline(&[Some(0.0), Some(1.0), None, Some(0.5)]);
        assert_eq!(s.matches("<polyline").count(), 2);
        assert!(s.contains("points=\"4.0,56.0 101.3,4.0\""), "{s}");
        assert!(s.contains("<circle cx=\"296.0\" cy=\"30.0\""), "{s}");
        assert!(
            s.contains("aria-label=\"Returning builders at the last 4 held events, oldest first: 0%, 100%, no data, 50%\""),
            "{s}"
        );
        assert_eq!(sparkline(&[]), "");
    }

    #[test]
    fn a_trend_says_its_numbers_in_words() {
        let pct = |v: f64| format!("{:.0}%", v * 100.0);
        let s = trend(
            "Returning <builders>",
            &[
                ("Q1".into(), Some(0.5)),
                ("Q2".into(), None),
                ("Q3".into(), Some(0.25)),
                ("Q4".into(), Some(1.0)),
            ],
            1.0,
            pct,
        );
        assert!(
            s.contains("<title>Returning &lt;builders&gt;</title>"),
            "{s}"
        );
        assert!(
            s.contains("<desc>Q1: 50%; Q2: no data; Q3: 25%; Q4: 100%</desc>"),
            "{s}"
        );
        // The gap breaks the line: Q1 alone draws no line, Q3–Q4 one.
        assert_eq!(s.matches("<polyline").count(), 1, "{s}");
        assert_eq!(s.matches("<circle").count(), 3, "{s}");
    }

    #[test]
    fn daily_bars_mark_the_window_and_the_baseline() {
        let s = daily(&[2, 0, 4, 8], 2, 1.0, "2026-01-01", "2026-01-03");
        assert_eq!(s.matches("class=\"base\"").count(), 2, "{s}");
        assert_eq!(s.matches("class=\"in\"").count(), 2, "{s}");
        assert!(s.contains("averages 1.0 messages a day"), "{s}");
        assert!(s.contains("messages per day: 4, 8"), "{s}");
        assert_eq!(daily(&[], 0, 0.0, "", ""), "");
    }
}
