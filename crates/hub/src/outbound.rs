//! Sending a sales invoice over Peppol: the hub's half. It checks and plans (who may send,
//! whether the wallet allows it, whether the invoice passes the official rules, which
//! participant it goes to), and records the outcome with the document. The web layer does the
//! network half in between: recipient lookup (SML → SMP) and the AS4 exchange.
//!
//! The invoice is validated before anything leaves: a document the receiver's access point
//! would reject should be fixed by the sender, not bounced across the network. The charge is
//! booked when the receiver's signed receipt arrives, so a failed send costs nothing; an
//! overdrawn wallet is refused up front, as API sending must be.

use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter};
use serde::Serialize;

use crate::access::{self, Need};
use crate::audit::{self, Event};
use crate::document::{Channel, Direction, NewDocument};
use crate::entity::{environment, peppol_registration};
use crate::error::{Error, Result};
use crate::peppol::NewMessage;
use crate::wallet::{Kind, blocks_when_overdrawn, format_euros};
use crate::{Hub, Principal, Scope};

/// What a checked invoice will be sent as.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    /// The sending participant: the organisation's Peppol registration.
    pub sender: peppol::ParticipantId,
    /// The receiving participant: the buyer's electronic address (BT-49).
    pub receiver: peppol::ParticipantId,
    /// Invoice or credit note, Peppol BIS Billing 3.0.
    pub document_type: peppol::DocumentTypeId,
    /// The billing process.
    pub process: peppol::ProcessId,
    /// The sender's country, for the envelope.
    pub country: String,
}

/// How a send ended, as the network half reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Delivered: the receiver's signed receipt.
    Delivered {
        /// The receipt.
        receipt: String,
    },
    /// Not delivered, and why.
    Failed {
        /// The reason, for the sender's operator.
        reason: String,
    },
}

/// A recorded send.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Sent {
    /// The stored document.
    pub document_id: i64,
    /// The ebMS MessageId.
    pub message_id: String,
    /// `sent` or `failed`.
    pub status: String,
    /// Why it failed, when it did.
    pub error: Option<String>,
}

/// The status of a message the receiver acknowledged.
pub const SENT: &str = "sent";
/// The status of a message that was not delivered.
pub const FAILED: &str = "failed";

/// Findings shown when an invoice is refused; the full report is one validate call away.
const FINDINGS_SHOWN: usize = 5;

impl Hub {
    /// Checks that `p` may send `invoice` for the organisation over Peppol, and plans it.
    pub async fn plan_peppol_send(
        &self,
        p: &Principal,
        organisation_id: i64,
        invoice: &[u8],
    ) -> Result<Plan> {
        let org = access::organisation(&self.db, p, organisation_id, send_need(p)).await?;
        let registration = peppol_registration::Entity::find()
            .filter(peppol_registration::Column::OrganisationId.eq(organisation_id))
            .one(&self.db)
            .await?
            .ok_or_else(|| {
                Error::Conflict(
                    "the organisation is not registered on Peppol: enrol it first".into(),
                )
            })?;
        let (_, _, payer) = self.payer(&self.db, organisation_id).await?;
        let wallet = environment::Entity::find_by_id(payer)
            .one(&self.db)
            .await?
            .ok_or(Error::NotFound("environment"))?;
        if wallet.balance_cents < 0 && blocks_when_overdrawn(Kind::ApiSend) {
            return Err(Error::InsufficientCredit {
                payer: wallet.name,
                balance: format_euros(wallet.balance_cents),
            });
        }
        let report = rules::validate(invoice);
        if !report.valid() {
            let fatal: Vec<String> = report
                .findings
                .iter()
                .filter(|f| f.severity == rules::Severity::Fatal)
                .take(FINDINGS_SHOWN)
                .map(|f| format!("{}: {}", f.rule, f.message))
                .collect();
            return Err(Error::invalid(
                "document",
                format!(
                    "the invoice does not pass the official rules: {}",
                    fatal.join("; ")
                ),
            ));
        }
        let (syntax, model) =
            einvoice::read(invoice).map_err(|e| Error::invalid("document", e.to_string()))?;
        let capability = match syntax {
            einvoice::Syntax::UblInvoice => crate::registration::Capability::Invoice,
            einvoice::Syntax::UblCreditNote => crate::registration::Capability::CreditNote,
            einvoice::Syntax::Cii => {
                return Err(Error::invalid(
                    "document",
                    "Peppol BIS Billing travels as UBL; convert the CII invoice first",
                ));
            }
        };
        let address = model
            .buyer
            .as_ref()
            .and_then(|b| b.electronic_address.as_ref())
            .ok_or_else(|| {
                Error::invalid(
                    "document",
                    "the invoice names no buyer electronic address (BT-49)",
                )
            })?;
        let scheme = address
            .scheme
            .as_ref()
            .map(|s| s.trim())
            .unwrap_or_default();
        let receiver = peppol::ParticipantId::parse(&format!("{scheme}:{}", address.id.trim()))
            .map_err(|e| {
                Error::invalid("document", format!("the buyer's Peppol id (BT-49): {e}"))
            })?;
        let sender = peppol::ParticipantId::parse(&format!(
            "{}:{}",
            registration.scheme, registration.value
        ))
        .map_err(|e| Error::invalid("participant_id", e.to_string()))?;
        Ok(Plan {
            sender,
            receiver,
            document_type: capability.document_type(),
            process: capability.process(),
            country: org.country,
        })
    }

    /// Records a send: the document, its AS4 message and status, the charge when delivered,
    /// and the audit entry, in one transaction.
    #[allow(clippy::too_many_arguments)]
    pub async fn record_peppol_send(
        &self,
        p: &Principal,
        organisation_id: i64,
        plan: &Plan,
        invoice: &[u8],
        message_id: &str,
        aps: (&str, &str),
        outcome: &Outcome,
    ) -> Result<Sent> {
        let org = access::organisation(&self.db, p, organisation_id, send_need(p)).await?;
        let now = self.clock.now();
        let (status, receipt, error) = match outcome {
            Outcome::Delivered { receipt } => (SENT, Some(receipt.clone()), None),
            Outcome::Failed { reason } => (FAILED, None, Some(reason.clone())),
        };
        let txn = self.write().await?;
        audit::lock(&txn, org.environment_id).await?;
        let document = NewDocument {
            environment_id: org.environment_id,
            organisation_id,
            channel: Channel::Peppol,
            direction: Direction::Outbound,
            document_type: Some(plan.document_type.to_string()),
            sender: Some(plan.sender.to_string()),
            receiver: Some(plan.receiver.to_string()),
            original: invoice,
            at: now,
        }
        .into_active()
        .insert(&txn)
        .await?;
        NewMessage {
            document: &document,
            message_id,
            direction: Direction::Outbound,
            status,
            aps,
            receipt,
            error: error.clone(),
        }
        .into_active()
        .insert(&txn)
        .await?;
        audit::record(
            &txn,
            now,
            Event {
                environment_id: org.environment_id,
                actor: p.actor(),
                action: if status == SENT {
                    "document.sent"
                } else {
                    "document.send_failed"
                },
                subject: format!("document:{}", document.id),
                details: serde_json::json!({
                    "channel": Channel::Peppol.as_str(),
                    "message_id": message_id,
                    "receiver": plan.receiver.to_string(),
                    "error": error,
                }),
            },
        )
        .await?;
        let alert = if status == SENT {
            // Whoever calls it, this is sending through the API: the portal's manual sending
            // is another path (and another price).
            let kind = Kind::ApiSend;
            // Delivered is delivered: the charge is booked even if the wallet went negative
            // since the plan was checked.
            self.charge_within(
                &txn,
                organisation_id,
                kind,
                Some(format!("document:{}", document.id)),
                false,
            )
            .await?
            .1
        } else {
            None
        };
        txn.commit().await?;
        self.mail_alert(alert).await?;
        Ok(Sent {
            document_id: document.id,
            message_id: message_id.to_owned(),
            status: status.to_owned(),
            error,
        })
    }
}

/// What sending for an organisation needs: a key's send scope, or a user who manages it.
fn send_need(p: &Principal) -> Need {
    match p {
        Principal::Key(_) => Need::Read(Scope::DocumentsSend),
        _ => Need::Manage,
    }
}
