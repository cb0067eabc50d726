//! Type codes allowed per business process (PEPPOL-EN16931-P0100, P0101, P0112).

use einvoice::Syntax;

use super::Parties;
use super::text::normalize;
use crate::Check;
use crate::codelists::{PEPPOL_UNCL1001_CN, contains};

/// Invoice type codes of process 01 (UBL `InvoiceTypeCode`). The official rule checks this
/// list, which lacks 389 (self-billed invoice); the generated `PEPPOL_UNCL1001_INV`, taken
/// from the Peppol code list file, has it, so it cannot stand in here.
const INVOICE_TYPES_01: &[&str] = &[
    "71", "80", "82", "84", "102", "218", "219", "326", "331", "380", "382", "383", "384", "386",
    "388", "393", "395", "553", "575", "623", "780", "817", "870", "875", "876", "877",
];

pub fn check(cx: &mut Check<'_, '_>, parties: &Parties) {
    let Some(code) = &cx.invoice.type_code else {
        return;
    };
    let value = normalize(&code.value);
    let process_01 = parties.profile.as_deref() == Some("01");
    let syntax = cx.syntax();
    // The CII rule's context is `ram:ExchangedDocument/ram:TypeCode`, but CII's
    // `ExchangedDocument` is in the `rsm` namespace: the rule never fires in CII.
    let allowed = match syntax {
        Syntax::UblInvoice => INVOICE_TYPES_01.contains(&value.as_str()),
        Syntax::UblCreditNote => contains(&PEPPOL_UNCL1001_CN, &value),
        Syntax::Cii => true,
    };
    if process_01 && !allowed {
        let id = match syntax {
            Syntax::UblCreditNote => "PEPPOL-EN16931-P0101",
            _ => "PEPPOL-EN16931-P0100",
        };
        cx.fail(id, code.at);
    }
    if syntax == Syntax::UblInvoice && (value == "326" || value == "384") && !parties.both_german {
        cx.fail("PEPPOL-EN16931-P0112", code.at);
    }
}
