//! The hub as an operator starts it: `serve` on a fresh data directory (SQLite, nothing else
//! installed), `serve --demo`, and `audit verify` on the result, intact and tampered.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Served {
    child: Child,
    base: String,
}

impl Served {
    /// Stops the server and returns what it printed on stdout.
    fn stop(mut self) -> Vec<String> {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let stdout = self.child.stdout.take().expect("stdout");
        BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .collect()
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("address").port()
}

/// Starts `postbode serve` on `data` and waits until `/readyz` answers.
async fn serve(data: &Path, extra: &[&str]) -> Served {
    let log = std::fs::File::create(data.with_extension("log")).expect("log file");
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_postbode"))
        .args([
            "serve",
            "--addr",
            &format!("127.0.0.1:{port}"),
            "--data-dir",
        ])
        .arg(data)
        .args(extra)
        .env_remove("DATABASE_URL")
        .env("POSTBODE_LOG_FORMAT", "json")
        .stdout(Stdio::piped())
        .stderr(log)
        .spawn()
        .expect("postbode serve starts");
    let served = Served {
        child,
        base: format!("http://127.0.0.1:{port}"),
    };
    let client = reqwest::Client::new();
    let started = Instant::now();
    loop {
        let ready = client.get(format!("{}/readyz", served.base)).send().await;
        if ready.is_ok_and(|r| r.status().is_success()) {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(90),
            "serve did not become ready"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    served
}

fn audit_verify(data: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_postbode"))
        .args(["audit", "verify", "--data-dir"])
        .arg(data)
        .env_remove("DATABASE_URL")
        .output()
        .expect("audit verify runs")
}

#[tokio::test]
async fn fresh_start_on_sqlite() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("postbode-data");
    let served = serve(&data, &[]).await;
    let client = reqwest::Client::new();
    let health = client
        .get(format!("{}/healthz", served.base))
        .send()
        .await
        .expect("healthz");
    assert_eq!(health.status(), 200);
    let metrics = client
        .get(format!("{}/metrics", served.base))
        .send()
        .await
        .expect("metrics");
    assert_eq!(metrics.status(), 200);
    let text = metrics.text().await.expect("body");
    assert!(text.contains("postbode_http_requests_total"), "{text}");
    let as4 = client
        .post(format!("{}/as4", served.base))
        .send()
        .await
        .expect("as4");
    assert_eq!(as4.status(), 503, "no Peppol certificate, no access point");
    assert!(data.join("postbode.sqlite").is_file());
    let pepper = data.join("secret.key");
    assert_eq!(std::fs::read(&pepper).expect("pepper").len(), 32);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&pepper)
            .expect("metadata")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "the pepper is private");
    }
    served.stop();
    let verified = audit_verify(&data);
    assert!(verified.status.success(), "{verified:?}");
    assert!(
        String::from_utf8_lossy(&verified.stdout)
            .contains("0 environments, 0 entries checked: intact")
    );
}

/// With its certificate, key and CA bundle configured, the hub is a Peppol access point: `/as4`
/// answers a broken message with an error signal signed by that certificate. A bundle without
/// a root is refused at start-up with a clear message.
#[tokio::test]
async fn peppol_access_point_from_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pki = peppol::testing::TestPki::shared();
    pki.write_pem(dir.path()).expect("PEM files");
    let path = |name: &str| dir.path().join(name).to_string_lossy().into_owned();
    let bundle = format!(
        "{}{}",
        std::fs::read_to_string(dir.path().join("root.pem")).expect("root"),
        std::fs::read_to_string(dir.path().join("apca.pem")).expect("AP CA")
    );
    std::fs::write(dir.path().join("bundle.pem"), bundle).expect("bundle");
    let flags = |trust: &str| {
        vec![
            "--peppol-cert".to_owned(),
            path("PTE000002.pem"),
            "--peppol-key".to_owned(),
            path("PTE000002.key"),
            "--peppol-trust".to_owned(),
            path(trust),
            "--sml-nameserver".to_owned(),
            "127.0.0.1:53".to_owned(),
        ]
    };
    let data = dir.path().join("postbode-data");
    let args = flags("bundle.pem");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let served = serve(&data, &args).await;
    let answer = reqwest::Client::new()
        .post(format!("{}/as4", served.base))
        .header("content-type", "multipart/related; boundary=b")
        .body("--b\r\n\r\nnot a message\r\n--b--")
        .send()
        .await
        .expect("as4");
    assert_eq!(answer.status(), 200);
    let signal = answer.text().await.expect("signal");
    assert!(signal.contains("EBMS:0009"), "{signal}");
    peppol::as4::security::verify_signal(
        &signal,
        &pki.receiver.credentials.certificate,
        &pki.trust_store(),
        std::time::SystemTime::now(),
    )
    .expect("signed with the configured certificate");
    served.stop();

    let refused = Command::new(env!("CARGO_BIN_EXE_postbode"))
        .arg("serve")
        .args(flags("apca.pem"))
        .arg("--data-dir")
        .arg(&data)
        .env_remove("DATABASE_URL")
        .output()
        .expect("serve runs");
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("holds no root"),
        "{refused:?}"
    );
}

#[tokio::test]
async fn demo_hub_lives_and_its_audit_log_verifies_until_tampered() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("postbode-data");
    let lines = serve(&data, &["--demo"]).await.stop();
    assert!(
        lines.iter().any(|l| l.contains("demo@postbode.test")),
        "{lines:?}"
    );

    // The logs are structured, and hold neither the password nor any key Secret.
    let log = std::fs::read_to_string(data.with_extension("log")).expect("log");
    assert!(log.lines().count() > 2, "{log}");
    for line in log.lines() {
        let entry: serde_json::Value = serde_json::from_str(line).expect("each log line is JSON");
        assert!(entry.get("level").is_some(), "{line}");
        assert!(
            !line.contains("postbode-demo") && !line.contains("sk_"),
            "a secret in the log: {line}"
        );
    }

    let verified = audit_verify(&data);
    let out = String::from_utf8_lossy(&verified.stdout).into_owned();
    assert!(verified.status.success(), "{out}");
    assert!(out.contains(": intact"), "{out}");
    assert!(
        !out.starts_with("0 environments"),
        "the demo seeded environments: {out}"
    );

    // Someone edits one entry behind the hub's back: verify names it and exits 1.
    use sea_orm::ConnectionTrait;
    let url = format!(
        "sqlite://{}?mode=rw",
        data.join("postbode.sqlite").display()
    );
    let db = sea_orm::Database::connect(&url).await.expect("open");
    db.execute_unprepared(
        "UPDATE audit_entries SET details = '{\"name\":\"forged\"}' WHERE id = 1",
    )
    .await
    .expect("tamper");
    db.close().await.expect("close");
    let tampered = audit_verify(&data);
    assert_eq!(tampered.status.code(), Some(1));
    let out = String::from_utf8_lossy(&tampered.stdout);
    assert!(
        out.contains("entry 1: was changed after it was written"),
        "{out}"
    );

    // A second `serve --demo` on the same data seeds nothing more.
    let lines = serve(&data, &["--demo"]).await.stop();
    assert!(
        lines.iter().all(|l| !l.contains("Demo firm seeded")),
        "{lines:?}"
    );
}

#[tokio::test]
async fn operator_creates_an_environment_and_tops_it_up() {
    use std::io::Write;
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("postbode-data");
    let run = |args: &[&str], stdin: &str| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_postbode"))
            .args(args)
            .arg("--data-dir")
            .arg(&data)
            .env_remove("DATABASE_URL")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("postbode runs");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(stdin.as_bytes())
            .expect("write");
        child.wait_with_output().expect("output")
    };
    let create = [
        "user",
        "create",
        "--environment",
        "Kantoor",
        "--name",
        "Anna",
        "--email",
        "anna@kantoor.test",
    ];
    let made = run(&create, "a long enough password\n");
    assert!(made.status.success(), "{made:?}");
    assert!(String::from_utf8_lossy(&made.stdout).contains("environment 1 created"));
    let again = run(&create, "a long enough password\n");
    assert_eq!(
        again.status.code(),
        Some(2),
        "one account per email address"
    );
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    let short = run(
        &[
            "user",
            "create",
            "--environment",
            "K",
            "--name",
            "B",
            "--email",
            "b@k.test",
        ],
        "short\n",
    );
    assert_eq!(short.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&short.stderr).contains("password"));

    let topped = run(
        &["wallet", "top-up", "--environment", "1", "--cents", "1250"],
        "",
    );
    assert!(topped.status.success(), "{topped:?}");
    assert!(String::from_utf8_lossy(&topped.stdout).contains("€ 12,50"));
    let priced = run(&["wallet", "price", "api_send", "15"], "");
    assert!(priced.status.success(), "{priced:?}");
    let unknown = run(&["wallet", "price", "fax", "15"], "");
    assert_eq!(unknown.status.code(), Some(2));
    let verified = audit_verify(&data);
    assert!(verified.status.success(), "{verified:?}");
    assert!(
        String::from_utf8_lossy(&verified.stdout)
            .contains("1 environments, 2 entries checked: intact")
    );
}
