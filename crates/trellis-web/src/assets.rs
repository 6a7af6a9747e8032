//! The stylesheet, embedded in the binary and served under a content-hashed path so it can
//! be cached for good; and the security headers every response carries.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

pub const CSS: &str = include_str!("../assets/app.css");

/// Changes whenever the CSS changes (checked by a test), so browsers never keep a stale copy.
pub const CSS_PATH: &str = "/static/app-v6.css";

/// The first 16 hex digits of the SHA-256 of the CSS that `CSS_PATH` names.
#[cfg(test)]
const CSS_DIGEST: &str = "bcec684fa5230e36";

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

    /// WCAG's relative luminance of `#rrggbb`.
    fn luminance(hex: &str) -> f64 {
        let channel = |i: usize| {
            let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
            if c <= 0.039_28 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
    }

    fn contrast(a: &str, b: &str) -> f64 {
        let (la, lb) = (luminance(a), luminance(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }

    /// Text on its background, as the CSS pairs them (each declaration must be in the CSS,
    /// so a changed colour is checked here again): at least 4.5:1.
    #[test]
    fn text_has_enough_contrast() {
        assert!(CSS.contains("--muted: #5d6679;"));
        let pairs = [
            (
                "#5d6679",
                "#eef1f6",
                ".status { display: inline-block; font-size: 12px; padding: 0 6px; border-radius: 999px; background: #eef1f6; color: var(--muted); }",
            ),
            ("#5d6679", "#f7f8fa", "--bg: #f7f8fa;"),
            ("#5d6679", "#ffffff", ".panel { background: #fff;"),
            (
                "#b54708",
                "#fef0c7",
                ".status.draft { background: #fef0c7; color: var(--warn); }",
            ),
            (
                "#067647",
                "#d1fadf",
                ".status.announced, .status.confirmed { background: #d1fadf; color: var(--ok); }",
            ),
            (
                "#175cd3",
                "#d1e9ff",
                ".status.held, .status.presented { background: #d1e9ff; color: #175cd3; }",
            ),
            (
                "#b42318",
                "#fee4e2",
                "background: #fee4e2; color: var(--no); }",
            ),
            (
                "#ffffff",
                "#3a5bd9",
                "background: var(--accent); color: #fff;",
            ),
            (
                "#ffffff",
                "#b42318",
                "button.danger { background: var(--no); border-color: var(--no); }",
            ),
        ];
        for (fg, bg, declared) in pairs {
            assert!(
                CSS.contains(declared),
                "the CSS no longer says {declared:?}"
            );
            let c = contrast(fg, bg);
            assert!(c >= 4.5, "{fg} on {bg}: {c:.2}:1");
        }
    }
}
