//! Posting one nudge to a chat's incoming webhook: `{"text": ..., "content": ...}` is
//! what Slack reads (`text`) and Discord reads (`content`; also its `/slack` endpoints
//! read `text`). One HTTP/1.1 request over hyper, TLS by rustls with the webpki roots.
//! Only the URL an organizer configured is ever contacted.

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::header::{CONTENT_TYPE, HOST, USER_AGENT};
use hyper::{Request, StatusCode};
use hyper_util::rt::TokioIo;
use std::time::Duration;
use tokio::net::TcpStream;

/// What went wrong; the message names the host, never the URL's path (its secret).
#[derive(Debug, thiserror::Error)]
#[error("the webhook at {host} {reason}")]
pub struct WebhookError {
    pub host: String,
    pub reason: String,
    /// A network failure, a 5xx or a 429: worth trying again later.
    pub transient: bool,
}

/// Long enough for a slow chat service, short enough not to hold a pass.
const TIMEOUT: Duration = Duration::from_secs(15);

/// The parts of a webhook URL a request needs.
struct Target {
    https: bool,
    host: String,
    port: u16,
    path: String,
}

fn target(url: &str) -> Result<Target, WebhookError> {
    let bad = |host: &str| WebhookError {
        host: host.to_owned(),
        reason: "has an invalid URL".into(),
        transient: false,
    };
    let (scheme, rest) = url.split_once("://").ok_or_else(|| bad("?"))?;
    let https = match scheme {
        "https" => true,
        "http" => false,
        _ => return Err(bad("?")),
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let default = if https { 443 } else { 80 };
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || authority.starts_with('[') => {
            (h, p.parse::<u16>().map_err(|_| bad(authority))?)
        }
        _ => (authority, default),
    };
    if host.is_empty() || authority.contains('@') {
        return Err(bad(authority));
    }
    Ok(Target {
        https,
        host: host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned(),
        port,
        path: path.to_owned(),
    })
}

/// The JSON body for a nudge's text.
pub fn payload(text: &str) -> String {
    serde_json_text(text)
}

/// `{"text": t, "content": t}` without a JSON dependency: the only value is a string.
fn serde_json_text(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            '\r' => quoted.push_str("\\r"),
            '\t' => quoted.push_str("\\t"),
            c if u32::from(c) < 0x20 => quoted.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    format!("{{\"text\":{quoted},\"content\":{quoted}}}")
}

/// Posts `text` to the webhook at `url`; Ok once the service answered 2xx.
pub async fn post(url: &str, text: &str) -> Result<(), WebhookError> {
    let t = target(url)?;
    let host = t.host.clone();
    let fail = |reason: String, transient: bool| WebhookError {
        host: host.clone(),
        reason,
        transient,
    };
    let status = tokio::time::timeout(TIMEOUT, send(&t, payload(text)))
        .await
        .map_err(|_| {
            fail(
                format!("did not answer within {} s", TIMEOUT.as_secs()),
                true,
            )
        })?
        .map_err(|e| fail(e, true))?;
    if status.is_success() {
        return Ok(());
    }
    let transient = status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS;
    Err(fail(format!("answered HTTP {status}"), transient))
}

async fn send(t: &Target, body: String) -> Result<StatusCode, String> {
    let tcp = TcpStream::connect((t.host.as_str(), t.port))
        .await
        .map_err(|e| format!("could not be reached: {e}"))?;
    let authority = if (t.https && t.port == 443) || (!t.https && t.port == 80) {
        t.host.clone()
    } else {
        format!("{}:{}", t.host, t.port)
    };
    let req = Request::post(t.path.as_str())
        .header(HOST, authority)
        .header(CONTENT_TYPE, "application/json")
        .header(USER_AGENT, "Trellis")
        .body(Full::new(Bytes::from(body)))
        .map_err(|e| format!("could not be asked: {e}"))?;
    if !t.https {
        return exchange(TokioIo::new(tcp), req).await;
    }
    let tls = crate::tls::connect(&t.host, tcp).await?;
    exchange(TokioIo::new(tls), req).await
}

async fn exchange<I>(io: I, req: Request<Full<Bytes>>) -> Result<StatusCode, String>
where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let (mut sender, conn) = hyper::client::conn::http1::handshake(io)
        .await
        .map_err(|e| format!("failed HTTP: {e}"))?;
    // The connection is driven beside the request and ends with it.
    let driver = tokio::spawn(conn);
    let res = sender
        .send_request(req)
        .await
        .map_err(|e| format!("failed HTTP: {e}"));
    let status = match res {
        Ok(r) => {
            let status = r.status();
            // Read (and drop) the answer so the exchange completes cleanly.
            let _ = r.into_body().collect().await;
            Ok(status)
        }
        Err(e) => Err(e),
    };
    driver.abort();
    status
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_is_split_and_the_payload_escaped() {
        let t = target("https://hooks.slack.com/services/T/B/x?y=1").unwrap();
        assert!(t.https);
        assert_eq!((t.host.as_str(), t.port), ("hooks.slack.com", 443));
        assert_eq!(t.path, "/services/T/B/x?y=1");
        let t = target("http://127.0.0.1:9000").unwrap();
        assert_eq!(
            (t.host.as_str(), t.port, t.path.as_str()),
            ("127.0.0.1", 9000, "/")
        );
        assert!(target("ftp://x").is_err());
        assert!(target("https://user@x/").is_err());
        assert_eq!(
            payload("a \"b\"\nc"),
            r#"{"text":"a \"b\"\nc","content":"a \"b\"\nc"}"#
        );
    }
}
