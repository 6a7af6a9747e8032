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
}
