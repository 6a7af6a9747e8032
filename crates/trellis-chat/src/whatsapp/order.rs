//! Day/month order, decided once per file from its dates (never per line): a phone writes
//! one locale throughout, and deciding per line would read `03/04` as March on one line
//! and April on the next. The rules, strongest first (chat-exports.md §1.2):
//!
//! 1. a first part above 12 anywhere means day first; else a second part above 12 means
//!    month first (certain);
//! 2. otherwise every date is ≤ 12/12 and the file is genuinely ambiguous. We still pick
//!    the likelier order, as Pustur's parser does: within one year months never go back,
//!    so the part that falls back between consecutive dates is the day; failing that, the
//!    part that changes more; failing that, day first (what Pustur and chat-miner do);
//!    and we say so in a warning, with the option that forces the other order.
//!
//! A file whose two parts are equal on every date (`01/01/19`) reads the same either way
//! and needs no warning.

/// Which order to read dates in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayOrder {
    DayFirst,
    MonthFirst,
}

/// The decision with the reason, which the warning repeats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub order: DayOrder,
    /// `Some(text)` when the choice was not certain: a warning for the user.
    pub warning: Option<String>,
}

/// What the dates seen so far say about the order.
#[derive(Debug, Default, Clone)]
pub struct Evidence {
    max_x: u16,
    max_y: u16,
    prev: Option<(u16, u16, i32)>,
    x_falls: bool,
    y_falls: bool,
    x_moves: u64,
    y_moves: u64,
    parts_differ: bool,
}

impl Evidence {
    pub fn observe(&mut self, x: u16, y: u16, year: i32) {
        self.max_x = self.max_x.max(x);
        self.max_y = self.max_y.max(y);
        self.parts_differ |= x != y;
        if let Some((px, py, pyear)) = self.prev {
            if (px, py, pyear) == (x, y, year) {
                return;
            }
            if pyear == year {
                self.x_falls |= x < px;
                self.y_falls |= y < py;
                self.x_moves += u64::from(x.abs_diff(px));
                self.y_moves += u64::from(y.abs_diff(py));
            }
        }
        self.prev = Some((x, y, year));
    }

    /// True once a part above 12 has been seen: further dates cannot change the answer.
    pub fn settled(&self) -> bool {
        self.max_x > 12 || self.max_y > 12
    }

    pub fn decide(&self) -> Decision {
        use DayOrder::*;
        let certain = |order| Decision {
            order,
            warning: None,
        };
        if self.max_x > 12 {
            return certain(DayFirst);
        }
        if self.max_y > 12 {
            return certain(MonthFirst);
        }
        if !self.parts_differ {
            return certain(DayFirst);
        }
        let (order, why) = match (self.x_falls, self.y_falls) {
            (true, false) => (
                DayFirst,
                "the first number falls back within a year, as days do",
            ),
            (false, true) => (
                MonthFirst,
                "the second number falls back within a year, as days do",
            ),
            _ if self.x_moves > self.y_moves => (DayFirst, "the first number changes more often"),
            _ if self.y_moves > self.x_moves => {
                (MonthFirst, "the second number changes more often")
            }
            _ => (
                DayFirst,
                "nothing in the dates tells; day first is the default",
            ),
        };
        let (chosen, other) = match order {
            DayFirst => ("day first", "--month-first"),
            MonthFirst => ("month first", "--day-first"),
        };
        Decision {
            order,
            warning: Some(format!(
                "day/month order is ambiguous (no date has a day above 12); read as {chosen} because {why}; use {other} if that is wrong"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use DayOrder::*;

    fn decide(dates: &[(u16, u16)]) -> Decision {
        let mut e = Evidence::default();
        for &(x, y) in dates {
            e.observe(x, y, 2020);
        }
        e.decide()
    }

    #[test]
    fn a_part_above_twelve_settles_it() {
        assert_eq!(decide(&[(1, 1), (20, 1)]).order, DayFirst);
        assert_eq!(decide(&[(1, 1), (1, 20)]).order, MonthFirst);
        assert_eq!(decide(&[(1, 20)]).warning, None);
    }

    #[test]
    fn ambiguous_files_say_so_and_still_choose_sensibly() {
        // 11 Jan, 2 Feb, 5 Feb, 1 Mar written day first: the first part falls back.
        let d = decide(&[(11, 1), (2, 2), (5, 2), (1, 3)]);
        assert_eq!(d.order, DayFirst);
        let w = d.warning.unwrap();
        assert!(
            w.contains("ambiguous") && w.contains("--month-first"),
            "{w}"
        );
        // The same dates written month first.
        let d = decide(&[(1, 11), (2, 2), (2, 5), (3, 1)]);
        assert_eq!(d.order, MonthFirst);
        assert!(d.warning.unwrap().contains("--day-first"));
        // One date: nothing to go on.
        let d = decide(&[(3, 4)]);
        assert_eq!(d.order, DayFirst);
        assert!(d.warning.unwrap().contains("default"));
    }

    #[test]
    fn equal_parts_need_no_warning() {
        assert_eq!(decide(&[(1, 1), (2, 2), (12, 12)]).warning, None);
    }

    #[test]
    fn years_reset_the_falling_test() {
        let mut e = Evidence::default();
        e.observe(12, 5, 2019);
        e.observe(1, 6, 2020); // a new year: the first part may fall without meaning anything
        e.observe(1, 7, 2020);
        assert_eq!(e.decide().order, MonthFirst, "the second part changes more");
    }
}
