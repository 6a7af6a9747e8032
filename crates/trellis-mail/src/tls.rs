//! The one TLS client setup of this crate, shared by SMTP over implicit TLS and the chat
//! webhooks: rustls with the webpki roots, as lettre's own STARTTLS uses them.

use std::sync::Arc;
use tokio_rustls::rustls;

// ring is the provider lettre's SMTP over TLS already links here; rustls deprecates it
// only for lacking post-quantum key exchange (that needs aws-lc-rs, a C build).
#[allow(deprecated)]
pub(crate) fn client_config() -> Result<Arc<rustls::ClientConfig>, String> {
    let roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| format!("could not set up TLS: {e}"))?
    .with_root_certificates(roots)
    .with_no_client_auth();
    Ok(Arc::new(config))
}

/// Opens TLS over a connected socket, checking the certificate against `host`.
pub(crate) async fn connect(
    host: &str,
    tcp: tokio::net::TcpStream,
) -> Result<tokio_rustls::client::TlsStream<tokio::net::TcpStream>, String> {
    let name = rustls::pki_types::ServerName::try_from(host.to_owned())
        .map_err(|e| format!("has an invalid name: {e}"))?;
    tokio_rustls::TlsConnector::from(client_config()?)
        .connect(name, tcp)
        .await
        .map_err(|e| format!("failed TLS: {e}"))
}
