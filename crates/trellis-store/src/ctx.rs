use jiff::Timestamp;

/// Who is acting, and when. Every change records both; time is passed in, never read
/// from the clock here, so tests can pin it.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub actor: String,
    pub now: Timestamp,
}

impl Ctx {
    pub fn new(actor: impl Into<String>, now: Timestamp) -> Ctx {
        Ctx {
            actor: actor.into(),
            now,
        }
    }

    pub(crate) fn now_us(&self) -> i64 {
        self.now.as_microsecond()
    }
}
