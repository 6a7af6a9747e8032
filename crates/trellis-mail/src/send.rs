//! One SMTP connection per process, kept open and reused message after message.
//!
//! Why not lettre's `AsyncSmtpTransport`: it opens its sockets without `TCP_NODELAY`
//! and writes a message's end (`\r\n.\r\n`) as a second small write, so Nagle's
//! algorithm holds that write until the server's delayed ACK — about 40 ms a message,
//! 22 messages/s over one connection. Here the socket is ours (no delay), and lettre
//! still speaks the protocol over it (`AsyncSmtpConnection`): EHLO, STARTTLS, AUTH,
//! MAIL/RCPT/DATA.

use crate::MailError;
use crate::config::{MailConfig, Security, SmtpUrl};
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, Message};
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, AsyncTokioStream, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::net::TcpStream;
use tokio::sync::Mutex;

/// A message as Trellis writes it: plain text, one recipient.
#[derive(Debug, Clone, Default)]
pub struct Outgoing {
    pub to: String,
    pub subject: String,
    pub body: String,
    pub reply_to: Option<String>,
    /// The one-click unsubscribe URL (RFC 8058): set for every message to someone who
    /// is not an organizer.
    pub unsubscribe: Option<String>,
}

/// Sends through one configured server. Clones share the one connection, so messages
/// go one after another over it.
#[derive(Clone)]
pub struct Mailer {
    inner: Arc<Inner>,
}

struct Inner {
    smtp: SmtpUrl,
    from: Mailbox,
    server: String,
    live: Mutex<Option<Live>>,
}

/// The open connection and when it last carried a message.
struct Live {
    conn: AsyncSmtpConnection,
    used: Instant,
}

/// Long enough for a slow relay, short enough that a dead one does not hold a pass.
const TIMEOUT: Duration = Duration::from_secs(20);

/// A connection idle this long is asked NOOP before it carries a message: servers close
/// idle clients (RFC 5321 suggests 5 minutes), and a message must not be lost to that.
const IDLE: Duration = Duration::from_secs(15);

/// What a failure before any answer is called: the network, or a timeout.
fn unreachable(server: &str, reason: impl std::fmt::Display) -> MailError {
    MailError::Unreachable {
        server: server.to_owned(),
        reason: reason.to_string(),
    }
}

pub(crate) fn mailbox(address: &str) -> Result<Mailbox, MailError> {
    address
        .trim()
        .parse::<Mailbox>()
        .map_err(|e| MailError::BadAddress {
            address: address.trim().to_owned(),
            reason: e.to_string(),
        })
}

impl Mailer {
    pub fn new(config: &MailConfig) -> Result<Mailer, MailError> {
        Ok(Mailer {
            inner: Arc::new(Inner {
                smtp: config.smtp.clone(),
                from: mailbox(&config.from)?,
                server: config.smtp.server(),
                live: Mutex::new(None),
            }),
        })
    }

    /// `host:port` of the server.
    pub fn server(&self) -> &str {
        &self.inner.server
    }

    /// Sends one message; `Ok` holds the server's answer (e.g. `250 OK queued as …`).
    pub async fn send(&self, message: &Outgoing) -> Result<String, MailError> {
        let email = self.build(message)?;
        let (envelope, bytes) = (email.envelope().clone(), email.formatted());
        let mut slot = self.inner.live.lock().await;
        let mut live = match slot.take() {
            Some(live) => self.reuse(live).await?,
            None => self.open().await?,
        };
        let sent = tokio::time::timeout(TIMEOUT, live.conn.send(&envelope, &bytes)).await;
        match sent {
            Ok(Ok(response)) => {
                live.used = Instant::now();
                *slot = Some(live);
                let text: Vec<&str> = response.message().collect();
                Ok(format!("{} {}", response.code(), text.join(" ")))
            }
            // lettre closes the connection on any error; the next message opens another.
            Ok(Err(e)) => Err(self.explain(&e)),
            Err(_) => {
                live.conn.abort().await;
                Err(unreachable(&self.inner.server, "did not answer in time"))
            }
        }
    }

    /// Opens the connection now, logged in: a refused login or an unreachable server is
    /// then an error at start rather than at the first reminder.
    pub async fn verify(&self) -> Result<(), MailError> {
        let mut slot = self.inner.live.lock().await;
        if slot.is_none() {
            *slot = Some(self.open().await?);
        }
        Ok(())
    }

    /// Says goodbye to the server (QUIT), if a connection is open.
    pub async fn close(&self) {
        if let Some(mut live) = self.inner.live.lock().await.take() {
            let _ = tokio::time::timeout(TIMEOUT, live.conn.quit()).await;
        }
    }

    /// The kept connection if it still works, else a new one.
    async fn reuse(&self, mut live: Live) -> Result<Live, MailError> {
        if live.conn.has_broken() {
            return self.open().await;
        }
        if live.used.elapsed() > IDLE {
            let alive = tokio::time::timeout(TIMEOUT, live.conn.test_connected()).await;
            if !matches!(alive, Ok(true)) {
                live.conn.abort().await;
                return self.open().await;
            }
        }
        Ok(live)
    }

    /// Connects (no delay), greets, secures and logs in, as the URL says.
    async fn open(&self) -> Result<Live, MailError> {
        let smtp = &self.inner.smtp;
        let server = &self.inner.server;
        let connect = TcpStream::connect((smtp.host.as_str(), smtp.port));
        let tcp = tokio::time::timeout(TIMEOUT, connect)
            .await
            .map_err(|_| unreachable(server, "did not answer in time"))?
            .map_err(|e| unreachable(server, e))?;
        tcp.set_nodelay(true).map_err(|e| unreachable(server, e))?;
        let stream: Box<dyn AsyncTokioStream> = match smtp.security {
            Security::Implicit => Box::new(TlsWire(
                crate::tls::connect(&smtp.host, tcp)
                    .await
                    .map_err(|e| unreachable(server, e))?,
            )),
            Security::StartTls | Security::Plain => Box::new(tcp),
        };
        let hello = ClientId::default();
        let handshake = async {
            let mut conn = AsyncSmtpConnection::connect_with_transport(stream, &hello).await?;
            if smtp.security == Security::StartTls {
                let tls = TlsParameters::new(smtp.host.clone())?;
                conn.starttls(tls, &hello).await?;
            }
            if let Some(user) = &smtp.user {
                let password = smtp.password().unwrap_or_default().to_owned();
                let login = Credentials::new(user.clone(), password);
                conn.auth(&[Mechanism::Plain, Mechanism::Login], &login)
                    .await?;
            }
            Ok::<_, lettre::transport::smtp::Error>(conn)
        };
        match tokio::time::timeout(TIMEOUT, handshake).await {
            Ok(Ok(conn)) => Ok(Live {
                conn,
                used: Instant::now(),
            }),
            Ok(Err(e)) => Err(self.explain(&e)),
            Err(_) => Err(unreachable(server, "did not answer in time")),
        }
    }

    fn build(&self, m: &Outgoing) -> Result<Message, MailError> {
        let mut b = Message::builder()
            .from(self.inner.from.clone())
            .to(mailbox(&m.to)?)
            .subject(m.subject.clone());
        if let Some(r) = &m.reply_to {
            b = b.reply_to(mailbox(r)?);
        }
        if let Some(url) = &m.unsubscribe {
            b = b
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe"),
                    format!("<{url}>"),
                ))
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                    "List-Unsubscribe=One-Click".to_owned(),
                ));
        }
        b.body(m.body.clone())
            .map_err(|e| MailError::Build(e.to_string()))
    }

    /// lettre's error, said with the server's name and sorted into what the caller acts on.
    fn explain(&self, e: &lettre::transport::smtp::Error) -> MailError {
        let server = self.inner.server.clone();
        let reason = e.to_string();
        let code = e.status().map(|c| c.to_string());
        let login = reason.to_ascii_lowercase().contains("auth")
            || code
                .as_deref()
                .is_some_and(|c| c == "535" || c == "534" || c == "530");
        if e.is_permanent() && login {
            MailError::LoginRefused { server, reason }
        } else if e.is_response() || e.is_transient() || e.is_permanent() {
            MailError::Refused {
                server,
                reason,
                transient: e.is_transient(),
            }
        } else {
            MailError::Unreachable { server, reason }
        }
    }
}

/// A TLS stream lettre can speak over: its trait wants the peer's address too.
struct TlsWire(tokio_rustls::client::TlsStream<TcpStream>);

impl std::fmt::Debug for TlsWire {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TlsWire")
    }
}

impl AsyncTokioStream for TlsWire {
    fn peer_addr(&self) -> std::io::Result<std::net::SocketAddr> {
        self.0.get_ref().0.peer_addr()
    }
}

impl tokio::io::AsyncRead for TlsWire {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.0).poll_read(cx, buf)
    }
}

impl tokio::io::AsyncWrite for TlsWire {
    fn poll_write(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        std::pin::Pin::new(&mut self.0).poll_write(cx, buf)
    }

    fn poll_flush(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.0).poll_flush(cx)
    }

    fn poll_shutdown(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.0).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    /// A server that greets in plain text, then hangs up after the client's first bytes.
    async fn plain_greeter() -> u16 {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move {
            while let Ok((mut s, _)) = listener.accept().await {
                let _ = s.write_all(b"220 plain ESMTP\r\n").await;
                let mut buf = [0u8; 512];
                let _ = s.read(&mut buf).await;
            }
        });
        port
    }

    fn mailer(url: &str) -> Mailer {
        Mailer::new(&MailConfig::new(url, "trellis@example.org").unwrap()).unwrap()
    }

    #[tokio::test]
    async fn implicit_tls_to_a_plain_server_names_the_server_not_the_password() {
        let port = plain_greeter().await;
        let m = mailer(&format!("smtps://u:secret-pass@127.0.0.1:{port}"));
        let e = m.verify().await.unwrap_err().to_string();
        assert!(e.contains(&format!("127.0.0.1:{port}")), "{e}");
        assert!(!e.contains("secret-pass"), "{e}");
    }

    #[tokio::test]
    async fn nobody_listening_is_unreachable_and_worth_retrying() {
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let e = mailer(&format!("smtp://127.0.0.1:{port}"))
            .verify()
            .await
            .unwrap_err();
        assert!(e.is_transient(), "{e}");
        assert!(e.to_string().contains("could not be reached"), "{e}");
    }
}
