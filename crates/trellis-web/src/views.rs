//! The pages' templates (askama: compiled, escaped by default).

use askama::Template;

#[derive(Template)]
#[template(path = "message.html")]
pub struct Message<'a> {
    pub title: &'a str,
    pub message: &'a str,
    pub css: &'a str,
}

#[derive(Template)]
#[template(path = "login.html")]
pub struct Login<'a> {
    pub css: &'a str,
    pub next: &'a str,
    pub csrf: &'a str,
    pub error: Option<&'a str>,
    pub email: &'a str,
}

#[derive(Template)]
#[template(path = "contract.html")]
pub struct Contract<'a> {
    pub css: &'a str,
    pub page: trellis_store::web::ContractPage,
    pub csrf: &'a str,
    pub done: bool,
}

#[derive(Template)]
#[template(path = "followup.html")]
pub struct Followup<'a> {
    pub css: &'a str,
    pub page: trellis_store::web::FollowupPage,
    pub csrf: &'a str,
    pub done: bool,
}
