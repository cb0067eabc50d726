//! Building a hub from the command line and the environment, shared by `serve` and the
//! admin commands.
//!
//! | variable | meaning |
//! |---|---|
//! | `DATABASE_URL` | `postgres://…` for PostgreSQL; when unset, SQLite in the data directory |
//! | `POSTBODE_DATA` | the data directory (`./postbode-data`) |
//! | `POSTBODE_SECRET_FILE` | the pepper file (`<data>/secret.key`, made on first run) |
//! | `POSTBODE_SMTP_HOST`, `_PORT`, `_USER`, `_PASSWORD`, `_STARTTLS` | SMTP; when unset, mail goes to `<data>/outbox` |
//! | `POSTBODE_MAIL_FROM` | the sender address |
//! | `POSTBODE_SML_ZONE`, `POSTBODE_SML_NAMESERVER` | the SML to look receivers up in (`edelivery.tech.ec.europa.eu`, the production SML) and the DNS server to ask (the first `nameserver` of `/etc/resolv.conf`); SMP signatures must chain to the Peppol CA bundle |
//! | `POSTBODE_PEPPOL_CERT`, `_KEY`, `_TRUST` | the Peppol access point: its certificate (PEM), private key (PKCS#8 PEM) and the CA bundle senders must chain to (PEM: self-signed certificates are the anchors, the others intermediates); without them the hub does not receive over Peppol |

use std::path::{Path, PathBuf};

use hub::mail::{Mailer, SmtpConfig};
use hub::secret::Pepper;
use hub::{Config, Hub};

/// Where the hub keeps its files, from `--data-dir` or `POSTBODE_DATA`.
#[derive(clap::Args, Clone, Debug)]
pub struct Data {
    /// The data directory: SQLite database, pepper and mail outbox.
    #[arg(
        long,
        global = true,
        env = "POSTBODE_DATA",
        default_value = "postbode-data"
    )]
    pub data_dir: PathBuf,
    /// The database; SQLite in the data directory when left out.
    #[arg(long, global = true, env = "DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,
}

/// The Peppol access point's certificate, key and trusted CAs.
#[derive(clap::Args, Clone, Debug)]
pub struct Peppol {
    /// The access point certificate (PEM); its common name is the Peppol seat id.
    #[arg(long, env = "POSTBODE_PEPPOL_CERT", requires_all = ["peppol_key", "peppol_trust"])]
    pub peppol_cert: Option<PathBuf>,
    /// Its private key (PKCS#8 PEM). Keep it readable by the hub only.
    #[arg(long, env = "POSTBODE_PEPPOL_KEY")]
    pub peppol_key: Option<PathBuf>,
    /// The Peppol CA bundle (PEM) that other access points' certificates must chain to.
    #[arg(long, env = "POSTBODE_PEPPOL_TRUST")]
    pub peppol_trust: Option<PathBuf>,
    /// The SML zone receivers are looked up in.
    #[arg(
        long,
        env = "POSTBODE_SML_ZONE",
        default_value = "edelivery.tech.ec.europa.eu"
    )]
    pub sml_zone: String,
    /// The DNS server (address:port) asked for SML records; the system's first nameserver
    /// when left out.
    #[arg(long, env = "POSTBODE_SML_NAMESERVER")]
    pub sml_nameserver: Option<std::net::SocketAddr>,
}

impl Peppol {
    /// How the access point reaches others: the SML, SMPs (whose signatures must chain to
    /// `trust`) and AS4 sending with five attempts over about a minute.
    pub fn network(
        &self,
        trust: &peppol::pki::TrustStore,
    ) -> Result<peppol::network::Network, String> {
        let nameserver = match self.sml_nameserver {
            Some(address) => address,
            None => system_nameserver()?,
        };
        let as4 = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(60))
            .connect_timeout(std::time::Duration::from_secs(10))
            .build()
            .map_err(|e| format!("cannot make the AS4 client: {e}"))?;
        peppol::network::Network::new(
            &peppol::sml::SmlConfig {
                nameserver,
                zone: self.sml_zone.clone(),
                timeout: std::time::Duration::from_secs(5),
            },
            &peppol::smp::client::SmpClientConfig::default(),
            trust.clone(),
            as4,
            peppol::as4::RetryPolicy::default(),
        )
        .map_err(|e| format!("cannot reach the SML: {e}"))
    }

    /// The access point, when a certificate is configured.
    pub fn access_point(&self) -> Result<Option<peppol::as4::AccessPoint>, String> {
        let (Some(cert), Some(key), Some(trust)) =
            (&self.peppol_cert, &self.peppol_key, &self.peppol_trust)
        else {
            return Ok(None);
        };
        let read = |path: &Path| {
            std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))
        };
        let pki = |e: peppol::pki::PkiError, path: &Path| format!("{}: {e}", path.display());
        let certificate = peppol::pki::Certificate::from_pem(&read(cert)?)
            .map_err(|e| pki(e, cert))?
            .into_iter()
            .next()
            .ok_or_else(|| format!("{}: no certificate in the file", cert.display()))?;
        if certificate.common_name().is_none() {
            return Err(format!(
                "{}: the certificate has no common name (the Peppol seat id)",
                cert.display()
            ));
        }
        let key = peppol::pki::PrivateKey::from_pem(&read(key)?).map_err(|e| pki(e, key))?;
        let bundle =
            peppol::pki::Certificate::from_pem(&read(trust)?).map_err(|e| pki(e, trust))?;
        let (anchors, intermediates): (Vec<_>, Vec<_>) = bundle
            .into_iter()
            .partition(peppol::pki::Certificate::is_self_signed);
        if anchors.is_empty() {
            return Err(format!(
                "{}: the bundle holds no root (self-signed) certificate",
                trust.display()
            ));
        }
        let trust =
            peppol::pki::TrustStore::new(&anchors, &intermediates).map_err(|e| pki(e, trust))?;
        Ok(Some(peppol::as4::AccessPoint {
            credentials: peppol::pki::Credentials { certificate, key },
            trust,
        }))
    }
}

/// Opens the hub: creates the data directory and pepper if needed, connects and migrates.
pub async fn open(data: &Data, base_url: &str) -> Result<Hub, String> {
    std::fs::create_dir_all(&data.data_dir)
        .map_err(|e| format!("cannot create {}: {e}", data.data_dir.display()))?;
    let pepper = pepper(&data.data_dir)?;
    let url = data
        .database_url
        .clone()
        .unwrap_or_else(|| hub::storage::sqlite_url(&data.data_dir));
    let db = hub::storage::open(&url)
        .await
        .map_err(|e| format!("cannot open the database: {e}"))?;
    let from = std::env::var("POSTBODE_MAIL_FROM")
        .unwrap_or_else(|_| "Postbode <postbode@localhost>".into());
    let mailer = Mailer::new(smtp().as_ref(), data.data_dir.join("outbox"), &from)
        .map_err(|e| e.to_string())?;
    Ok(Hub::new(db, Config::new(base_url, pepper), mailer))
}

fn smtp() -> Option<SmtpConfig> {
    let host = std::env::var("POSTBODE_SMTP_HOST").ok()?;
    let var = |name: &str| std::env::var(format!("POSTBODE_SMTP_{name}")).ok();
    Some(SmtpConfig {
        host,
        port: var("PORT").and_then(|p| p.parse().ok()).unwrap_or(587),
        starttls: var("STARTTLS").is_none_or(|v| v != "false"),
        credentials: var("USER").zip(var("PASSWORD")),
    })
}

/// The pepper from `POSTBODE_SECRET_FILE` or `<data>/secret.key`, made on first run with
/// mode 0600. Losing it invalidates every released connection key, so it is never replaced.
fn pepper(data_dir: &Path) -> Result<Pepper, String> {
    let path = std::env::var_os("POSTBODE_SECRET_FILE")
        .map(PathBuf::from)
        .unwrap_or_else(|| data_dir.join("secret.key"));
    match std::fs::read(&path) {
        Ok(bytes) => Pepper::new(bytes)
            .ok_or_else(|| format!("{} holds fewer than 32 bytes", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let pepper = Pepper::generate();
            write_private(&path, pepper.bytes())
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            Ok(pepper)
        }
        Err(e) => Err(format!("cannot read {}: {e}", path.display())),
    }
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(bytes)
}

/// Logs to stderr: human-readable, or JSON with `POSTBODE_LOG_FORMAT=json`; the level from
/// `RUST_LOG` (info by default).
pub fn logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if std::env::var("POSTBODE_LOG_FORMAT").is_ok_and(|f| f == "json") {
        builder.json().init();
    } else {
        builder.init();
    }
}

/// The first `nameserver` of `/etc/resolv.conf`, on port 53.
fn system_nameserver() -> Result<std::net::SocketAddr, String> {
    let conf = std::fs::read_to_string("/etc/resolv.conf").map_err(|e| {
        format!("no POSTBODE_SML_NAMESERVER and /etc/resolv.conf is unreadable: {e}")
    })?;
    conf.lines()
        .filter_map(|line| line.trim().strip_prefix("nameserver"))
        .filter_map(|rest| rest.trim().parse::<std::net::IpAddr>().ok())
        .map(|ip| std::net::SocketAddr::new(ip, 53))
        .next()
        .ok_or_else(|| {
            "no POSTBODE_SML_NAMESERVER and no nameserver in /etc/resolv.conf".to_owned()
        })
}
