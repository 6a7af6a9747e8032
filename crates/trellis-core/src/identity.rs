//! Telling whether two person records may be one human. Trellis never merges on a name:
//! imports match by normalised e-mail and platform id only (see `person::normalise_email`).
//! This module finds *likely* duplicates for an organizer to look at, each with the
//! evidence, and leaves the decision (`trellis person merge`) to them.

use crate::PersonId;
use serde::Serialize;
use std::collections::HashMap;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// A name reduced for comparison: compatibility-decomposed (NFKD, so `ﬁ` is `fi` and a
/// full-width `Ａ` is `a`), accents dropped (`José` is `jose`), case-folded, punctuation
/// read as a space, runs of spaces collapsed. `Müller-Østergaard` becomes
/// `muller østergaard` (Ø is a letter of its own, not an O with a mark).
pub fn name_key(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut space = true;
    for c in name.nfkd().filter(|c| !is_combining_mark(*c)) {
        if c.is_alphanumeric() {
            for l in c.to_lowercase() {
                out.push(l);
            }
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    // German ß folds to "ss" under full case folding; lower-casing keeps it.
    let out = out.replace('ß', "ss");
    out.trim_end().to_owned()
}

/// The name's words in sorted order: `Chen Wei` and `Wei Chen` (platforms split CJK
/// names differently) have the same token key.
pub fn token_key(name: &str) -> String {
    let key = name_key(name);
    let mut words: Vec<&str> = key.split(' ').filter(|w| !w.is_empty()).collect();
    words.sort_unstable();
    words.join(" ")
}

/// What is known about a person, for duplicate finding.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub id: PersonId,
    pub name: String,
    /// Normalised e-mails.
    pub emails: Vec<String>,
    /// `platform:id` strings.
    pub platform_ids: Vec<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Duplicate {
    pub a: PersonId,
    pub b: PersonId,
    pub a_name: String,
    pub b_name: String,
    /// Each sentence is one piece of evidence.
    pub evidence: Vec<String>,
    /// Higher is likelier; the list is sorted by it.
    pub score: f64,
}

/// The similarity above which two names count as "similar" (Jaro-Winkler on the keys).
pub const SIMILAR: f64 = 0.9;
/// A block of people sharing an e-mail domain is compared pairwise only up to this size;
/// larger blocks (a webmail domain) are split by the first letter of the name.
const BLOCK: usize = 2_000;

/// Likely duplicates among `people`, each pair once, likeliest first:
/// - the same name after Unicode normalisation and case folding;
/// - the same name parts in another order;
/// - similar names and an e-mail address at the same domain.
///
/// A shared e-mail or platform id cannot occur (the store keeps them unique), and a
/// name alone is evidence to look at, never a reason to merge.
pub fn find_duplicates(people: &[Candidate]) -> Vec<Duplicate> {
    let keys: Vec<String> = people.iter().map(|p| name_key(&p.name)).collect();
    let tokens: Vec<String> = people.iter().map(|p| token_key(&p.name)).collect();
    let mut found = Evidence::default();
    found.same_names(people, &keys, &tokens);
    found.similar_names_at_a_domain(people, &keys);
    found.ranked(people)
}

/// The evidence gathered so far, per pair of indices (the lower first): each reason once,
/// with its score.
#[derive(Default)]
struct Evidence(HashMap<(usize, usize), Vec<(String, f64)>>);

impl Evidence {
    fn add(&mut self, i: usize, j: usize, why: String, score: f64) {
        let k = if i < j { (i, j) } else { (j, i) };
        let list = self.0.entry(k).or_default();
        if !list.iter().any(|(w, _)| *w == why) {
            list.push((why, score));
        }
    }

    /// The same name after normalisation, or the same name parts in another order.
    fn same_names(&mut self, people: &[Candidate], keys: &[String], tokens: &[String]) {
        let mut by_key: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut by_tokens: HashMap<&str, Vec<usize>> = HashMap::new();
        for i in 0..people.len() {
            if keys[i].is_empty() {
                continue;
            }
            by_key.entry(&keys[i]).or_default().push(i);
            by_tokens.entry(&tokens[i]).or_default().push(i);
        }
        for group in by_key.values().filter(|g| g.len() > 1) {
            for (x, &i) in group.iter().enumerate() {
                for &j in &group[x + 1..] {
                    let why = if people[i].name.trim() == people[j].name.trim() {
                        format!("the same name {:?}", people[i].name.trim())
                    } else {
                        format!(
                            "the same name after Unicode normalisation and case folding ({:?})",
                            keys[i]
                        )
                    };
                    self.add(i, j, why, 0.8);
                }
            }
        }
        for group in by_tokens.values().filter(|g| g.len() > 1) {
            for (x, &i) in group.iter().enumerate() {
                for &j in &group[x + 1..] {
                    if keys[i] != keys[j] {
                        self.add(
                            i,
                            j,
                            format!(
                                "the same name parts in another order ({:?} / {:?})",
                                people[i].name, people[j].name
                            ),
                            0.7,
                        );
                    }
                }
            }
        }
    }

    /// Similar names and an e-mail address at the same domain.
    fn similar_names_at_a_domain(&mut self, people: &[Candidate], keys: &[String]) {
        let mut by_domain: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, p) in people.iter().enumerate() {
            let mut domains: Vec<&str> = p
                .emails
                .iter()
                .filter_map(|e| e.rsplit_once('@').map(|(_, d)| d))
                .collect();
            domains.sort_unstable();
            domains.dedup();
            for d in domains {
                by_domain.entry(d).or_default().push(i);
            }
        }
        for (domain, group) in &by_domain {
            for block in blocks(group, keys) {
                for (x, &i) in block.iter().enumerate() {
                    for &j in &block[x + 1..] {
                        if keys[i].is_empty() || keys[j].is_empty() || keys[i] == keys[j] {
                            continue;
                        }
                        let s = strsim::jaro_winkler(&keys[i], &keys[j]);
                        if s >= SIMILAR {
                            self.add(
                                i,
                                j,
                                format!(
                                    "similar names ({:?} / {:?}, {:.2}) and e-mail at the same domain {domain}",
                                    people[i].name, people[j].name, s
                                ),
                                s - 0.3,
                            );
                        }
                    }
                }
            }
        }
    }

    /// The pairs as duplicates, likeliest first: the strongest evidence, a little more
    /// for each further reason.
    fn ranked(self, people: &[Candidate]) -> Vec<Duplicate> {
        let mut out: Vec<Duplicate> = self
            .0
            .into_iter()
            .map(|((i, j), why)| {
                let score = why.iter().map(|(_, s)| *s).fold(0.0, f64::max)
                    + 0.05 * (why.len() as f64 - 1.0);
                let (a, b) = if people[i].id <= people[j].id {
                    (i, j)
                } else {
                    (j, i)
                };
                Duplicate {
                    a: people[a].id,
                    b: people[b].id,
                    a_name: people[a].name.clone(),
                    b_name: people[b].name.clone(),
                    evidence: why.into_iter().map(|(w, _)| w).collect(),
                    score,
                }
            })
            .collect();
        out.sort_by(|x, y| {
            y.score
                .total_cmp(&x.score)
                .then(x.a.cmp(&y.a))
                .then(x.b.cmp(&y.b))
        });
        out
    }
}

/// The people at one domain, compared among themselves: larger groups (a webmail domain)
/// split by the first letter of the name.
fn blocks(group: &[usize], keys: &[String]) -> Vec<Vec<usize>> {
    if group.len() <= BLOCK {
        vec![group.to_vec()]
    } else {
        let mut by_initial: HashMap<char, Vec<usize>> = HashMap::new();
        for &i in group {
            if let Some(c) = keys[i].chars().next() {
                by_initial.entry(c).or_default().push(i);
            }
        }
        by_initial.into_values().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(id: i64, name: &str, emails: &[&str]) -> Candidate {
        Candidate {
            id: PersonId(id),
            name: name.into(),
            emails: emails.iter().map(|e| e.to_string()).collect(),
            platform_ids: Vec::new(),
        }
    }

    #[test]
    fn keys_fold_case_accents_and_compatibility_forms() {
        assert_eq!(
            name_key("  José  MÜLLER-Østergaard "),
            "jose muller østergaard"
        );
        assert_eq!(name_key("Ａｄａ ﬁsh"), "ada fish");
        assert_eq!(name_key("Straße"), "strasse");
        assert_eq!(token_key("Wei Chen"), token_key("chen  wei"));
        assert_eq!(name_key("陈伟"), "陈伟");
    }

    #[test]
    fn finds_each_kind_with_its_evidence() {
        let people = [
            c(1, "José Müller", &["jose@example.com"]),
            c(2, "Jose Muller", &[]),
            c(3, "Chen Wei", &["chen@a.org"]),
            c(4, "Wei Chen", &["wei@b.org"]),
            c(5, "Katherine Johnson", &["kj@nasa.example"]),
            c(6, "Katharine Johnson", &["katharine@nasa.example"]),
            c(7, "Ada Lovelace", &["ada@x.org"]),
        ];
        let d = find_duplicates(&people);
        let pairs: Vec<(i64, i64)> = d.iter().map(|x| (x.a.0, x.b.0)).collect();
        assert!(pairs.contains(&(1, 2)), "{d:?}");
        assert!(pairs.contains(&(3, 4)), "{d:?}");
        assert!(pairs.contains(&(5, 6)), "{d:?}");
        assert_eq!(d.len(), 3, "{d:?}");
        let kj = d.iter().find(|x| x.a.0 == 5).unwrap();
        assert!(kj.evidence[0].contains("nasa.example"), "{kj:?}");
    }

    #[test]
    fn similar_names_at_different_domains_are_not_listed() {
        let people = [
            c(1, "Katherine Johnson", &["kj@a.example"]),
            c(2, "Katharine Johnson", &["kj@b.example"]),
        ];
        assert!(find_duplicates(&people).is_empty());
    }
}
