//! Mail over real SMTP: the activation mail reaches an SMTP server (aiosmtpd, Debian package
//! `python3-aiosmtpd`) and arrives whole, link included; a server that is down makes the
//! request report "not mailed" without losing the request.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use hub::authorisation::{NewRequest, PaidBy};
use hub::environment::SignUp;
use hub::mail::{Mailer, SmtpConfig};
use hub::organisation::Ledger;
use hub::secret::Pepper;
use hub::subscription::Tier;
use hub::{Config, Hub, Principal};

struct SmtpServer(Child);

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("address")
        .port()
}

/// Starts aiosmtpd storing mail in the Maildir `dir`, or `None` when it is not installed
/// (outside CI; CI installs it and then a missing server fails the test).
fn aiosmtpd(port: u16, dir: &std::path::Path) -> Option<SmtpServer> {
    let available = Command::new("/usr/bin/python3")
        .args(["-c", "import aiosmtpd"])
        .status()
        .is_ok_and(|s| s.success());
    if !available {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install python3-aiosmtpd"
        );
        eprintln!("python3-aiosmtpd is not installed; SMTP test skipped");
        return None;
    }
    let child = Command::new("/usr/bin/python3")
        .args([
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            &format!("127.0.0.1:{port}"),
            "-c",
            "aiosmtpd.handlers.Mailbox",
        ])
        .arg(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("aiosmtpd starts");
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "aiosmtpd did not listen"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    Some(SmtpServer(child))
}

async fn hub_mailing_to(port: u16, dir: &std::path::Path) -> Hub {
    let db = hub::storage::open(&hub::storage::sqlite_url(dir))
        .await
        .expect("database");
    let smtp = SmtpConfig {
        host: "127.0.0.1".into(),
        port,
        starttls: false,
        credentials: None,
    };
    let mailer = Mailer::new(
        Some(&smtp),
        dir.join("unused-outbox"),
        "Postbode <postbode@test.invalid>",
    )
    .expect("mailer");
    Hub::new(
        db,
        Config::new("http://postbode.test", Pepper::generate()),
        mailer,
    )
}

async fn firm(hub: &Hub) -> Principal {
    let (u, _) = hub
        .sign_up(SignUp {
            environment_name: "Kantoor".into(),
            name: "Anna".into(),
            email: "anna@kantoor.test".into(),
            password: "correct horse battery".into(),
            locale: None,
        })
        .await
        .expect("sign-up");
    let p = Principal::User(u);
    hub.set_tier(&p, Tier::Basic).await.expect("tier");
    p
}

fn request() -> NewRequest {
    NewRequest {
        ledger: Ledger::Snelstart,
        client_email: "klant@bakkerij.test".into(),
        client_name: "Bakkerij Ünal".into(),
        kvk: None,
        vat: None,
        participant_id: None,
        paid_by: PaidBy::Client,
    }
}

#[tokio::test]
async fn activation_mail_goes_over_smtp() {
    let dir = tempfile::tempdir().expect("tempdir");
    let maildir = dir.path().join("maildir");
    let port = free_port();
    let Some(_server) = aiosmtpd(port, &maildir) else {
        return;
    };
    let hub = hub_mailing_to(port, dir.path()).await;
    let p = firm(&hub).await;
    let (_, mailed) = hub
        .request_authorisation(&p, request())
        .await
        .expect("request");
    assert!(mailed, "the SMTP server took the mail");

    let started = Instant::now();
    let mails = loop {
        let mails = hub::testing::read_maildir(&maildir);
        if !mails.is_empty() || started.elapsed() > Duration::from_secs(10) {
            break mails;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    assert!(mail.to.contains("klant@bakkerij.test"), "{}", mail.to);
    assert!(
        mail.text.contains("Bakkerij Ünal"),
        "UTF-8 survives: {}",
        mail.text
    );
    let link = mail.link("/activate/").expect("the link");
    let token = link.rsplit('/').next().expect("token");
    hub.invitation(token)
        .await
        .expect("the mailed link opens the request");
}

#[tokio::test]
async fn a_down_server_loses_no_request() {
    let dir = tempfile::tempdir().expect("tempdir");
    let hub = hub_mailing_to(free_port(), dir.path()).await;
    let p = firm(&hub).await;
    let (req, mailed) = hub
        .request_authorisation(&p, request())
        .await
        .expect("the request is kept");
    assert!(!mailed, "nothing listens, so nothing was mailed");
    let listed = hub.authorisation_requests(&p).await.expect("list");
    assert_eq!(
        listed.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![req.id],
        "it can be re-sent later"
    );
}
