//! The stylesheet, embedded in the binary and served under a content-hashed path so it can
//! be cached for good; and the security headers every response carries.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

pub const CSS: &str = include_str!("../assets/app.css");

/// Changes whenever the CSS changes (checked by a test), so browsers never keep a stale copy.
pub const CSS_PATH: &str = "/static/app-v3.css";

/// The first 16 hex digits of the SHA-256 of the CSS that `CSS_PATH` names.
#[cfg(test)]
const CSS_DIGEST: &str = "c6d1eb944c1ab1a2";

pub async fn css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        CSS,
    )
        .into_response()
}

/// A strict Content-Security-Policy: no script at all, no inline style, nothing from
/// elsewhere. Forms post to ourselves only.
pub const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

pub async fn security_headers(mut res: Response) -> Response {
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    res
}

/// For pages behind a login: a browser keeps no copy, so Back after logging out (or
/// another person at the same computer) cannot show them.
pub async fn no_store(mut res: Response) -> Response {
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// Strict-Transport-Security, for an app reached over https: browsers then never try it
/// over plain http, where a session cookie could be stripped of its way in.
pub async fn hsts(mut res: Response) -> Response {
    res.headers_mut().insert(
        header::STRICT_TRANSPORT_SECURITY,
        HeaderValue::from_static("max-age=31536000"),
    );
    res
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256};

    #[test]
    fn the_css_path_changes_with_the_css() {
        let digest: String = Sha256::digest(CSS.as_bytes())
            .iter()
            .take(8)
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(
            digest, CSS_DIGEST,
            "app.css changed: bump the version in CSS_PATH (cached for a year) and set CSS_DIGEST to {digest}"
        );
    }
}
