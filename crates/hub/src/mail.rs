//! Outgoing mail: over SMTP when configured, otherwise as `.eml` files in an outbox folder.
//!
//! Mail leaves after the database transaction that caused it has committed, so a failed
//! send never undoes the change; the caller can send again (for example, re-send an
//! activation link).

use std::path::PathBuf;

use lettre::message::{Body, Mailbox, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// How to reach an SMTP server.
#[derive(Clone, Debug)]
pub struct SmtpConfig {
    /// Host name.
    pub host: String,
    /// Port (587 for STARTTLS, 25 for a local relay without TLS).
    pub port: u16,
    /// Whether to insist on STARTTLS.
    pub starttls: bool,
    /// User name and password, if the server wants them.
    pub credentials: Option<(String, String)>,
}

/// A plain-text mail.
#[derive(Clone, Debug)]
pub struct Mail {
    /// The recipient's address.
    pub to: String,
    /// The subject line.
    pub subject: String,
    /// The body, plain text.
    pub text: String,
}

/// Where mail goes.
#[derive(Clone)]
pub enum Mailer {
    /// A real SMTP server.
    Smtp {
        /// The transport (pooled connections).
        transport: AsyncSmtpTransport<Tokio1Executor>,
        /// The sender address.
        from: Mailbox,
    },
    /// Files in a folder, one `.eml` per mail.
    Outbox {
        /// The folder.
        dir: PathBuf,
        /// The sender address.
        from: Mailbox,
    },
}

/// Why a mail could not be sent.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// The address is not a mail address.
    #[error("not a valid email address: {0}")]
    Address(String),
    /// The mail could not be built or delivered.
    #[error("mail delivery failed: {0}")]
    Delivery(String),
}

impl Mailer {
    /// A mailer for `smtp`, or the outbox under `outbox` when there is none.
    pub fn new(
        smtp: Option<&SmtpConfig>,
        outbox: PathBuf,
        from: &str,
    ) -> Result<Mailer, MailError> {
        let from: Mailbox = from
            .parse()
            .map_err(|_| MailError::Address(from.to_owned()))?;
        let Some(smtp) = smtp else {
            return Ok(Mailer::Outbox { dir: outbox, from });
        };
        let builder = if smtp.starttls {
            AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&smtp.host)
                .map_err(|e| MailError::Delivery(e.to_string()))?
        } else {
            AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host)
        };
        let mut builder = builder.port(smtp.port);
        if let Some((user, password)) = &smtp.credentials {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        Ok(Mailer::Smtp {
            transport: builder.build(),
            from,
        })
    }

    /// Sends one mail.
    pub async fn send(&self, mail: &Mail) -> Result<(), MailError> {
        let to: Mailbox = mail
            .to
            .parse()
            .map_err(|_| MailError::Address(mail.to.clone()))?;
        let from = match self {
            Mailer::Smtp { from, .. } | Mailer::Outbox { from, .. } => from.clone(),
        };
        // lettre picks 7bit, quoted-printable or base64 to suit the text; readers of the
        // outbox decode it like any mail client does.
        let body = Body::new(mail.text.clone());
        let message = Message::builder()
            .from(from)
            .to(to)
            .subject(mail.subject.clone())
            .singlepart(SinglePart::plain(body))
            .map_err(|e| MailError::Delivery(e.to_string()))?;
        match self {
            Mailer::Smtp { transport, .. } => transport
                .send(message)
                .await
                .map(drop)
                .map_err(|e| MailError::Delivery(e.to_string())),
            Mailer::Outbox { dir, .. } => {
                tokio::fs::create_dir_all(dir)
                    .await
                    .map_err(|e| MailError::Delivery(e.to_string()))?;
                AsyncFileTransport::<Tokio1Executor>::new(dir)
                    .send(message)
                    .await
                    .map(drop)
                    .map_err(|e| MailError::Delivery(e.to_string()))
            }
        }
    }
}
