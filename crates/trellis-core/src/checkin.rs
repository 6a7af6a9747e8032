//! The organizer fatigue check-in: the work-related burnout scale of the Copenhagen
//! Burnout Inventory (Kristensen et al., 2005), seven items, asked after each event.

use crate::error::CoreError;

/// The seven items, worded for volunteer organizing, with their answer scales. Answers
/// are given as 1–5, the position on the scale, first option first.
pub const ITEMS: [(&str, Scale); 7] = [
    (
        "Is your organizing work emotionally exhausting?",
        Scale::Degree,
    ),
    (
        "Do you feel burnt out because of your organizing work?",
        Scale::Degree,
    ),
    ("Does your organizing work frustrate you?", Scale::Degree),
    (
        "Do you feel worn out at the end of an organizing day?",
        Scale::Frequency,
    ),
    (
        "Are you exhausted in the morning at the thought of another organizing day?",
        Scale::Frequency,
    ),
    (
        "Do you feel that every organizing hour is tiring for you?",
        Scale::Frequency,
    ),
    (
        "Do you have enough energy for family and friends during leisure time?",
        Scale::Frequency,
    ),
];

/// The item whose scoring is reversed: having energy left is the good answer.
pub const REVERSED_ITEM: usize = 6;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    Degree,
    Frequency,
}

impl Scale {
    pub fn options(self) -> [&'static str; 5] {
        match self {
            Scale::Degree => [
                "to a very high degree",
                "to a high degree",
                "somewhat",
                "to a low degree",
                "to a very low degree",
            ],
            Scale::Frequency => [
                "always",
                "often",
                "sometimes",
                "seldom",
                "never / almost never",
            ],
        }
    }
}

/// A score of 50 or more is high.
pub const HIGH: f64 = 50.0;

/// Reads `a,b,c,d,e,f,g`, each 1–5, into the seven answers.
pub fn parse_answers(raw: &str) -> Result<[u8; 7], CoreError> {
    let parts: Vec<&str> = raw.split(',').map(str::trim).collect();
    if parts.len() != 7 {
        return Err(CoreError::invalid(
            "answers",
            raw,
            format!(
                "has {} answers; the scale has 7 items, each answered 1–5",
                parts.len()
            ),
        ));
    }
    let mut out = [0u8; 7];
    for (i, p) in parts.iter().enumerate() {
        match p.parse::<u8>() {
            Ok(v @ 1..=5) => out[i] = v,
            _ => {
                return Err(CoreError::invalid(
                    "answers",
                    raw,
                    format!(
                        "item {} is {p:?}; answers are 1 (first option) to 5 (last option)",
                        i + 1
                    ),
                ));
            }
        }
    }
    Ok(out)
}

/// Item score: the first option 100, then 75, 50, 25, 0; reversed for the last item.
pub fn item_score(item: usize, answer: u8) -> f64 {
    let forward = f64::from(5u8.saturating_sub(answer.clamp(1, 5))) * 25.0;
    if item == REVERSED_ITEM {
        100.0 - forward
    } else {
        forward
    }
}

/// The scale score: the mean of the item scores, 0–100.
pub fn score(answers: &[u8; 7]) -> f64 {
    answers
        .iter()
        .enumerate()
        .map(|(i, a)| item_score(i, *a))
        .sum::<f64>()
        / 7.0
}

/// Checks hours spent on an event.
pub fn hours(raw: f64) -> Result<f64, CoreError> {
    if !raw.is_finite() || !(0.0..=24.0 * 14.0).contains(&raw) {
        return Err(CoreError::invalid(
            "hours",
            raw,
            "must be between 0 and 336 (two weeks of hours)",
        ));
    }
    Ok(raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scoring_follows_the_published_key() {
        assert_eq!(item_score(0, 1), 100.0);
        assert_eq!(item_score(0, 5), 0.0);
        assert_eq!(
            item_score(6, 1),
            0.0,
            "always having energy is the good answer"
        );
        assert_eq!(item_score(6, 5), 100.0);
        // Worst case everywhere: 100; best case everywhere: 0.
        assert_eq!(score(&[1, 1, 1, 1, 1, 1, 5]), 100.0);
        assert_eq!(score(&[5, 5, 5, 5, 5, 5, 1]), 0.0);
        assert_eq!(score(&[3, 3, 3, 3, 3, 3, 3]), 50.0);
    }

    #[test]
    fn answers_outside_the_scale_are_refused_with_the_item() {
        assert_eq!(
            parse_answers("1,2,3,4,5,1,2").unwrap(),
            [1, 2, 3, 4, 5, 1, 2]
        );
        let e = parse_answers("1,2,3,4,6,1,2").unwrap_err().to_string();
        assert!(e.contains("item 5 is \"6\""), "{e}");
        assert!(
            parse_answers("1,2,3")
                .unwrap_err()
                .to_string()
                .contains("has 3 answers")
        );
    }
}
