//! Reading `TRELLIS_SMTP_URL` and `TRELLIS_MAIL_FROM`: checked once, at start, so a
//! typo is an error before the first reminder is due rather than a silent failure later.

use crate::MailError;

/// How the connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// `smtp://` to a remote host: STARTTLS, required.
    StartTls,
    /// `smtps://`: TLS from the first byte.
    Implicit,
    /// `smtp://` to a loopback address only: a local relay or a test server.
    Plain,
}

/// A parsed `TRELLIS_SMTP_URL`. `Debug` masks the password.
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpUrl {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub user: Option<String>,
    password: Option<String>,
}

impl std::fmt::Debug for SmtpUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpUrl")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("user", &self.user)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .finish()
    }
}

/// Where and as whom Trellis sends.
#[derive(Debug, Clone)]
pub struct MailConfig {
    pub smtp: SmtpUrl,
    /// The `From:` address, e.g. `Trellis <trellis@example.org>`.
    pub from: String,
}

impl MailConfig {
    /// Both parts checked: the URL's shape and the sender's address.
    pub fn new(url: &str, from: &str) -> Result<MailConfig, MailError> {
        let smtp = SmtpUrl::parse(url)?;
        crate::send::mailbox(from)?;
        Ok(MailConfig {
            smtp,
            from: from.trim().to_owned(),
        })
    }
}

impl SmtpUrl {
    pub fn parse(url: &str) -> Result<SmtpUrl, MailError> {
        let url = url.trim();
        let (scheme, rest) = url.split_once("://").ok_or_else(|| {
            MailError::BadUrl("expected smtp://host:port or smtps://host:port".into())
        })?;
        let rest = rest.trim_end_matches('/');
        let (userinfo, hostport) = match rest.rsplit_once('@') {
            Some((u, h)) => (Some(u), h),
            None => (None, rest),
        };
        let (host, port) = split_host_port(hostport, scheme)?;
        let security = match scheme.to_ascii_lowercase().as_str() {
            "smtps" => Security::Implicit,
            "smtp" if is_loopback(&host) => Security::Plain,
            "smtp" => Security::StartTls,
            other => {
                return Err(MailError::BadUrl(format!(
                    "unknown scheme {other:?} (smtp:// or smtps://)"
                )));
            }
        };
        let (user, password) = match userinfo {
            None => (None, None),
            Some(u) => {
                let (name, pass) = u.split_once(':').unwrap_or((u, ""));
                (Some(percent_decode(name)?), Some(percent_decode(pass)?))
            }
        };
        Ok(SmtpUrl {
            host,
            port,
            security,
            user,
            password,
        })
    }

    /// `host:port`, as every error names the server.
    pub fn server(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }

    pub(crate) fn password(&self) -> Option<&str> {
        self.password.as_deref()
    }
}

fn split_host_port(hostport: &str, scheme: &str) -> Result<(String, u16), MailError> {
    let default = if scheme.eq_ignore_ascii_case("smtps") {
        465
    } else {
        587
    };
    // `[::1]:25`: an IPv6 literal keeps its colons inside brackets.
    let (host, port) = if let Some(inner) = hostport.strip_prefix('[') {
        let (h, after) = inner
            .split_once(']')
            .ok_or_else(|| MailError::BadUrl("unclosed [ in the host".into()))?;
        (h, after.strip_prefix(':'))
    } else {
        match hostport.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (hostport, None),
        }
    };
    if host.is_empty() || host.contains('/') {
        return Err(MailError::BadUrl("no host".into()));
    }
    let port = match port {
        None => default,
        Some(p) => p
            .parse::<u16>()
            .ok()
            .filter(|p| *p > 0)
            .ok_or_else(|| MailError::BadUrl(format!("port {p:?} is not a number 1–65535")))?,
    };
    Ok((host.to_ascii_lowercase(), port))
}

fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// `%40` in a user name, `%3A` in a password: URLs escape what would end a part.
fn percent_decode(s: &str) -> Result<String, MailError> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| MailError::BadUrl("a % escape in the user or password".into()))?;
            out.push(hex);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out)
        .map_err(|_| MailError::BadUrl("the user or password is not UTF-8".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_forms() {
        let u = SmtpUrl::parse("smtp://me%40x.org:p%3Ass@mail.example.org:587").unwrap();
        assert_eq!(u.security, Security::StartTls);
        assert_eq!(u.server(), "mail.example.org:587");
        assert_eq!(u.user.as_deref(), Some("me@x.org"));
        assert_eq!(u.password(), Some("p:ss"));
        let u = SmtpUrl::parse("smtps://mail.example.org").unwrap();
        assert_eq!((u.security, u.port), (Security::Implicit, 465));
        let u = SmtpUrl::parse("smtp://127.0.0.1:2525").unwrap();
        assert_eq!(u.security, Security::Plain);
        let u = SmtpUrl::parse("smtp://[::1]:2525").unwrap();
        assert_eq!(
            (u.security, u.server()),
            (Security::Plain, "[::1]:2525".into())
        );
    }

    #[test]
    fn bad_urls_say_why_and_never_the_password() {
        for bad in [
            "mail.example.org",
            "http://x:25",
            "smtp://u:secret@host:99999",
            "smtp://:25",
        ] {
            let e = SmtpUrl::parse(bad).unwrap_err().to_string();
            assert!(!e.contains("secret"), "{e}");
        }
        let debug = format!("{:?}", SmtpUrl::parse("smtp://u:secret@h:25").unwrap());
        assert!(!debug.contains("secret"), "{debug}");
    }
}
