//! A tiny HTTP/1.1 client over a plain TCP socket: enough to test the app as a browser
//! would, without pulling a client stack into the build.

use jiff::Timestamp;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use trellis_store::{Ctx, Store};
use trellis_testkit::TestDb;

pub const NOW: &str = "2026-11-24T12:00:00Z";

pub fn now() -> Timestamp {
    NOW.parse().unwrap()
}

fn fixed_clock() -> Timestamp {
    now()
}

pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    pub fn cookies(&self) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

pub fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Reply {
    exchange(
        TcpStream::connect(addr).unwrap(),
        addr,
        method,
        path,
        headers,
        body,
    )
}

/// One request and its reply over a connected socket.
fn exchange(
    mut s: TcpStream,
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Reply {
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    let typed = headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("content-type"));
    if method == "POST" && !typed {
        req.push_str("Content-Type: application/x-www-form-urlencoded\r\n");
    }
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    req.push_str(body);
    // A server that refuses a large body answers and closes before reading it all: the
    // write may then fail, and the read end early; the reply that came is what counts.
    let _ = s.write_all(req.as_bytes());
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    Reply {
        status,
        headers,
        body: body.to_owned(),
    }
}

/// A form body, percent-encoded.
pub fn form_body(form: &[(&str, &str)]) -> String {
    form.iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Percent-encodes a form value.
pub fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            b' ' => "+".to_owned(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A running app on a loopback port over a fresh database holding the small sample, an
/// organizer, a viewer and an admin.
pub struct App {
    pub addr: SocketAddr,
    pub store: Store,
    /// Kept for its lifetime: the database is dropped with the app.
    _db: TestDb,
    rt: tokio::runtime::Runtime,
}

pub const PASSWORD: &str = "a long enough password";

/// The address requests come from unless a test says otherwise.
pub const LOCAL: std::net::Ipv4Addr = std::net::Ipv4Addr::LOCALHOST;

impl App {
    pub fn start(db: TestDb, public_url: Option<&str>) -> App {
        App::start_with_clock(db, public_url, fixed_clock)
    }

    /// As [`App::start`], the web app given a mail server (an `smtp://` URL).
    pub fn start_with_mail(db: TestDb, smtp_url: &str) -> App {
        let config =
            trellis_mail::MailConfig::new(smtp_url, "Trellis <trellis@x.example>").unwrap();
        App::start_full(db, None, fixed_clock, Some(config))
    }

    /// As [`App::start`], with the server's clock given.
    pub fn start_with_clock(db: TestDb, public_url: Option<&str>, clock: fn() -> Timestamp) -> App {
        App::start_full(db, public_url, clock, None)
    }

    fn start_full(
        db: TestDb,
        public_url: Option<&str>,
        clock: fn() -> Timestamp,
        mail: Option<trellis_mail::MailConfig>,
    ) -> App {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let (store, addr) = rt.block_on(async {
            let store = Store::open(&db.url).await.unwrap();
            let ctx = Ctx::new("test", now());
            store
                .load_dataset(
                    &ctx,
                    &trellis_sample::generate(trellis_sample::Size::Small, 1, now()),
                )
                .await
                .unwrap();
            let hash = trellis_web::hash_password(PASSWORD).unwrap();
            for (email, name, role) in [
                (
                    "org@x.example",
                    "Olga Organizer",
                    trellis_core::access::Role::Organizer,
                ),
                (
                    "view@x.example",
                    "Vic Viewer",
                    trellis_core::access::Role::Viewer,
                ),
                (
                    "admin@x.example",
                    "Ada Admin",
                    trellis_core::access::Role::Admin,
                ),
            ] {
                store
                    .create_user(&ctx, email, name, role, &hash)
                    .await
                    .unwrap();
            }
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let addr = listener.local_addr().unwrap();
            let url = public_url.map_or_else(|| format!("http://{addr}"), str::to_owned);
            // Inside the runtime: the mail transport's pool needs one.
            let mailer = mail.map(|c| trellis_mail::Mailer::new(&c).unwrap());
            let state = trellis_web::AppState::new(store.clone(), &url, clock).with_mailer(mailer);
            let app = trellis_web::router(state);
            let app = app.into_make_service_with_connect_info::<SocketAddr>();
            tokio::spawn(async move { axum::serve(listener, app).await });
            (store, addr)
        });
        App {
            addr,
            store,
            _db: db,
            rt,
        }
    }

    pub fn get(&self, path: &str, cookie: Option<&str>) -> Reply {
        let h: Vec<(&str, &str)> = cookie.map(|c| vec![("Cookie", c)]).unwrap_or_default();
        request(self.addr, "GET", path, &h, "")
    }

    pub fn post(&self, path: &str, cookie: Option<&str>, form: &[(&str, &str)]) -> Reply {
        let h: Vec<(&str, &str)> = cookie.map(|c| vec![("Cookie", c)]).unwrap_or_default();
        request(self.addr, "POST", path, &h, &form_body(form))
    }

    /// A request from another loopback address (`127.0.0.0/8` is all local on Linux), as
    /// a second client on another machine would send it.
    pub fn request_from(
        &self,
        from: std::net::Ipv4Addr,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> Reply {
        let addr = self.addr;
        let stream = self.rt.block_on(async move {
            let socket = tokio::net::TcpSocket::new_v4().unwrap();
            socket.bind(SocketAddr::from((from, 0))).unwrap();
            socket.connect(addr).await.unwrap().into_std().unwrap()
        });
        stream.set_nonblocking(false).unwrap();
        exchange(stream, addr, method, path, headers, body)
    }

    /// Sends the login form as a browser would, `next` included when given.
    pub fn login_form(&self, email: &str, password: &str, next: Option<&str>) -> Reply {
        self.login_form_from(LOCAL, email, password, next)
    }

    /// The login form from a given loopback address.
    pub fn login_form_from(
        &self,
        from: std::net::Ipv4Addr,
        email: &str,
        password: &str,
        next: Option<&str>,
    ) -> Reply {
        let page = self.request_from(from, "GET", "/login", &[], "");
        let token = csrf_of(&page.body);
        let cookie = page
            .cookies()
            .iter()
            .find(|c| c.starts_with("trellis_login="))
            .and_then(|c| c.split(';').next())
            .expect("the login page sets its form cookie")
            .to_owned();
        let mut form = vec![("email", email), ("password", password), ("csrf", &token)];
        if let Some(next) = next {
            form.push(("next", next));
        }
        self.request_from(
            from,
            "POST",
            "/login",
            &[("Cookie", &cookie)],
            &form_body(&form),
        )
    }

    /// Logs in; returns the session cookie ("name=value") and the page's CSRF token.
    pub fn login(&self, email: &str) -> (String, String) {
        let r = self.login_form(email, PASSWORD, Some("/"));
        assert_eq!(r.status, 303, "login failed: {}", r.body);
        let cookie = r.cookies()[0].split(';').next().unwrap().to_owned();
        let page = self.get("/events", Some(&cookie));
        (cookie, csrf_of(&page.body))
    }

    pub fn block_on<F: std::future::Future>(&self, f: F) -> F::Output {
        self.rt.block_on(f)
    }

    /// Runs one statement on the app's database behind the store's back: how a test
    /// breaks the database under a running app.
    pub fn sql(&self, statement: &str) {
        use sqlx::{Connection, Executor};
        let url = if self._db.is_postgres() {
            self._db.url.clone()
        } else {
            format!("sqlite://{}", self._db.url)
        };
        self.rt.block_on(async {
            sqlx::any::install_default_drivers();
            let mut conn = sqlx::AnyConnection::connect(&url).await.unwrap();
            conn.execute(sqlx::AssertSqlSafe(statement.to_owned()))
                .await
                .unwrap();
            conn.close().await.unwrap();
        });
    }
}

pub fn csrf_of(html: &str) -> String {
    let i = html
        .find("name=\"csrf\" value=\"")
        .expect("a form with a CSRF token");
    html[i + 19..].split('"').next().unwrap().to_owned()
}

/// The community chat of the sample program, by hand: a quiet month, then the week after
/// event 17 (2026-11-12 18:30 Berlin): three happy messages and one negative holding HTML
/// (a quarter negative: mixed), then one message after.
pub fn chat_lines() -> Vec<trellis_store::ChatLine> {
    use jiff::civil::date;
    use trellis_store::{ChatLine, ChatTime};
    let line = |d: i8, m: i8, h: i8, who: &str, text: &str, compound: f64| ChatLine {
        at: ChatTime::Local(date(2026, m, d).at(h, 0, 0, 0)),
        author: who.to_owned(),
        author_id: None,
        text: text.to_owned(),
        compound,
    };
    vec![
        line(10, 10, 12, "Old Timer", "lunch friday?", 0.0),
        line(12, 11, 21, "Ana", "great demo night, thanks!", 0.8),
        line(12, 11, 22, "Ben", "the tools demos were amazing", 0.6),
        line(13, 11, 9, "Cem", "loved the talks", 0.6),
        line(
            13,
            11,
            10,
            "Dee <script>alert(1)</script>",
            "the demo was <b>awful</b>",
            -0.5,
        ),
        line(20, 11, 10, "Old Timer", "lunch friday?", 0.0),
    ]
}

/// A person written straight to the store, with one e-mail.
pub fn new_person(app: &App, name: &str, email: &str) -> trellis_core::PersonId {
    let ctx = trellis_store::Ctx::new("test", now());
    let new = trellis_store::NewPerson {
        name: name.into(),
        emails: vec![email.into()],
    };
    app.block_on(app.store.create_person(&ctx, &new))
        .unwrap()
        .id
}

/// A demo proposed for `event` by `presenter`.
pub fn new_demo(
    app: &App,
    event: trellis_core::EventId,
    presenter: trellis_core::PersonId,
    title: &str,
) -> trellis_core::DemoId {
    let ctx = trellis_store::Ctx::new("test", now());
    let d = trellis_store::NewDemo {
        event,
        presenters: vec![presenter],
        title: title.into(),
    };
    app.block_on(app.store.propose_demo(&ctx, &d)).unwrap().id
}

/// A multipart form body (text fields, then one file) and its content type.
pub fn multipart(fields: &[(&str, &str)], file: (&str, &str, &str)) -> (String, String) {
    let boundary = "trellis-test-boundary-7d0a";
    let mut body = String::new();
    for (k, v) in fields {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
        ));
    }
    let (name, file_name, content) = file;
    body.push_str(&format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: text/csv\r\n\r\n{content}\r\n--{boundary}--\r\n"
    ));
    (body, format!("multipart/form-data; boundary={boundary}"))
}
