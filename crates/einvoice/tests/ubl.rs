//! UBL 2.1 reading and writing: concrete business terms of official examples, and a write →
//! read round trip over every valid UBL example of the corpus and over generated models.

use std::path::{Path, PathBuf};

use einvoice::{Invoice, Source, Syntax, ubl};
use serde_json::Value;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
}

/// The valid UBL examples the corpus README lists, folders walked recursively.
fn example_files() -> Vec<PathBuf> {
    let folders = [
        "en16931/ubl/examples",
        "en16931/test/testfiles",
        "peppol-bis/rules/examples",
        "peppol-bis/rules/snippets",
        "peppol-bis/rules/national-examples",
    ];
    let mut files = Vec::new();
    let mut stack: Vec<PathBuf> = folders.iter().map(|f| corpus().join(f)).collect();
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("a directory entry").path();
            let is_xml = path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("xml"));
            if path.is_dir() {
                stack.push(path);
            } else if is_xml {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn read_file(relative: &str) -> Option<(Syntax, Invoice)> {
    let path = corpus().join(relative);
    if !corpus().exists() {
        return None;
    }
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Some(einvoice::read(&bytes).expect("a corpus example reads"))
}

fn text(t: &Option<einvoice::Text>) -> Option<&str> {
    t.as_ref().map(|t| t.value.as_str())
}

/// The model as JSON with every string trimmed (the writer trims), plus the attachment
/// contents the serialisation leaves out. Positions are not serialised.
fn comparable(inv: &Invoice) -> (Value, Vec<String>) {
    fn trim(v: &mut Value) {
        match v {
            Value::String(s) => *s = s.trim().to_string(),
            Value::Array(a) => a.iter_mut().for_each(trim),
            Value::Object(o) => o.values_mut().for_each(trim),
            _ => {}
        }
    }
    let mut json = serde_json::to_value(inv).expect("the model serialises");
    trim(&mut json);
    let contents = inv
        .documents
        .iter()
        .filter_map(|d| d.attachment.as_ref())
        .map(|a| a.content.trim().to_string())
        .collect();
    (json, contents)
}

fn round_trip(inv: &Invoice, syntax: Syntax) -> (String, Invoice) {
    let xml = ubl::write(inv, syntax);
    let source = Source::parse(xml.as_bytes()).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    assert_eq!(source.syntax, syntax);
    let again = source.invoice();
    (xml, again)
}

#[test]
fn every_corpus_example_round_trips() {
    if !corpus().exists() {
        eprintln!("no corpus at {}: skipped", corpus().display());
        return;
    }
    let mut read = 0;
    for path in example_files() {
        let bytes = std::fs::read(&path).unwrap();
        let Ok(source) = Source::parse(&bytes) else {
            panic!("{} does not parse", path.display());
        };
        if !source.syntax.is_ubl() {
            continue;
        }
        let inv = source.invoice();
        assert!(inv.number.is_some(), "{}: no BT-1 read", path.display());
        let (xml, again) = round_trip(&inv, source.syntax);
        assert_eq!(
            comparable(&inv),
            comparable(&again),
            "{}\n{xml}",
            path.display()
        );
        // Writing what was read back gives the same document: the writer is deterministic
        // and loses nothing the reader finds.
        assert_eq!(xml, ubl::write(&again, source.syntax), "{}", path.display());
        read += 1;
        eprintln!("round trip ok: {}", path.display());
    }
    assert!(read >= 40, "only {read} UBL examples read from the corpus");
}

#[test]
fn max_content_invoice_maps_every_group() {
    let Some((syntax, inv)) = read_file("en16931/test/testfiles/Invoice-Max_content.xml") else {
        return;
    };
    assert_eq!(syntax, Syntax::UblInvoice);
    assert_eq!(text(&inv.number), Some("2018210"));
    assert_eq!(text(&inv.vat_currency), Some("EUR"));
    assert_eq!(
        text(&inv.tender_reference),
        Some("Tender 2017-12, lot no. 3")
    );
    assert_eq!(text(&inv.project_reference), Some("Project 99"));
    let object = inv.invoiced_object.as_ref().unwrap();
    assert_eq!(
        (object.id.value.as_str(), text(&object.scheme)),
        ("ABC123", Some("VT"))
    );
    // The 130 reference is BT-18, not one of the supporting documents.
    let references: Vec<_> = inv.documents.iter().map(|d| text(&d.reference)).collect();
    assert_eq!(
        references,
        [Some("MT123"), Some("Time report 1"), Some("Example 1")]
    );
    let seller = inv.seller.as_ref().unwrap();
    assert_eq!(text(&seller.name), Some("The Global Chain Sweden AB"));
    assert_eq!(text(&seller.trading_name), Some("Global Trade Chain"));
    assert_eq!(text(&seller.vat_id), Some("SE123456789001"));
    assert_eq!(text(&seller.tax_registration), Some("Godkänd för F-skatt"));
    assert_eq!(seller.identifiers.len(), 2);
    let address = seller.address.as_ref().unwrap();
    assert_eq!(text(&address.line3), Some("Address-line3"));
    let delivery = inv.delivery.as_ref().unwrap();
    assert_eq!(text(&delivery.party_name), Some("Deliver-to Name A.S."));
    assert_eq!(
        delivery.location.as_ref().unwrap().id.value,
        "7350000001211"
    );
    let vat_totals: Vec<_> = inv
        .vat_totals
        .iter()
        .map(|a| (a.value.value.as_str(), text(&a.currency)))
        .collect();
    assert_eq!(vat_totals, [("2500", Some("SEK")), ("249", Some("EUR"))]);
    assert_eq!(inv.vat_breakdown.len(), 2);
    let exempt = &inv.vat_breakdown[1];
    assert_eq!(text(&exempt.category), Some("E"));
    assert_eq!(text(&exempt.exemption_reason_code), Some("vatex-eu-132-1g"));
    assert_eq!(inv.payment_instructions.len(), 4);
    let first = &inv.payment_instructions[0];
    assert_eq!(text(&first.means_text), Some("Credit transfer"));
    assert_eq!(
        text(&first.credit_transfers[0].service_provider),
        Some("BANKSBIC")
    );
    let line = &inv.lines[0];
    assert_eq!(line.object_id.as_ref().unwrap().id.value, "130-DR35141");
    let price = line.price.as_ref().unwrap();
    assert_eq!(price.discount.as_ref().unwrap().value.value, "0.50");
    assert_eq!(price.gross.as_ref().unwrap().value.value, "20.50");
    let item = line.item.as_ref().unwrap();
    assert_eq!(item.classifications.len(), 2);
    assert_eq!(text(&item.classifications[0].list_version), Some("1.0"));
    assert_eq!(text(&line.vat.as_ref().unwrap().category), Some("S"));
}

#[test]
fn max_content_credit_note_takes_project_and_due_date_from_their_credit_note_places() {
    let Some((syntax, inv)) = read_file("en16931/test/testfiles/CreditNote-Max_content.xml") else {
        return;
    };
    assert_eq!(syntax, Syntax::UblCreditNote);
    assert_eq!(text(&inv.project_reference), Some("11111111"));
    // Its PaymentDueDate is commented out ("an issue with using PaymentMeans/PaymentDueDate").
    assert_eq!(inv.due_date, None);
    assert!(!inv.lines.is_empty());
    assert!(inv.lines.iter().all(|l| l.quantity.is_some()));
}

#[test]
fn sepa_identifier_is_the_creditor_id_not_a_seller_identifier() {
    let Some((_, inv)) = read_file("peppol-bis/rules/snippets/direct-debit.xml") else {
        return;
    };
    let seller = inv.seller.as_ref().unwrap();
    assert!(seller.identifiers.iter().all(|i| i.id.value != "23123687"));
    let debit = inv.payment_instructions[0].direct_debit.as_ref().unwrap();
    assert_eq!(text(&debit.mandate_reference), Some("123456"));
    assert_eq!(text(&debit.creditor_id), Some("23123687"));
    assert_eq!(text(&debit.debited_account), Some("DK12328462834823"));
}

const MINIMAL: &str = r##"<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
 xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
 xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
 <cbc:ID>A<!-- split -->1 </cbc:ID>
 <cbc:ID>second</cbc:ID>
 <cbc:Note>#AAI#Subject &amp; more</cbc:Note>
 <cbc:Note>#plain</cbc:Note>
 <cac:InvoicePeriod><cbc:DescriptionCode>35</cbc:DescriptionCode></cac:InvoicePeriod>
 <cac:AdditionalDocumentReference><cbc:ID>P1</cbc:ID><cbc:DocumentTypeCode>50</cbc:DocumentTypeCode></cac:AdditionalDocumentReference>
 <cac:TaxTotal><cbc:TaxAmount currencyID="EUR">1</cbc:TaxAmount>
  <cac:TaxSubtotal><cac:TaxCategory><cbc:ID>S</cbc:ID><cac:TaxScheme><cbc:ID>GST</cbc:ID></cac:TaxScheme></cac:TaxCategory></cac:TaxSubtotal>
 </cac:TaxTotal>
</Invoice>"##;

#[test]
fn first_of_repeats_untrimmed_text_subject_codes_and_non_vat_categories() {
    let (_, inv) = einvoice::read(MINIMAL.as_bytes()).unwrap();
    assert_eq!(text(&inv.number), Some("A1 "));
    assert_eq!(text(&inv.notes[0].subject_code), Some("AAI"));
    assert_eq!(text(&inv.notes[0].text), Some("Subject & more"));
    assert_eq!(text(&inv.notes[1].subject_code), None);
    assert_eq!(text(&inv.notes[1].text), Some("#plain"));
    assert_eq!(text(&inv.tax_point_date_code), Some("35"));
    assert!(inv.period.is_some());
    // Type 50 is a project reference only in a credit note.
    assert_eq!(inv.project_reference, None);
    assert_eq!(inv.documents.len(), 1);
    // A tax category outside the VAT scheme carries no VAT terms.
    assert_eq!(inv.vat_breakdown.len(), 1);
    assert_eq!(inv.vat_breakdown[0].category, None);
}

const CREDIT_NOTE: &str = r##"<CreditNote xmlns="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
 xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
 xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
 <cbc:ID>CN1</cbc:ID>
 <cac:PaymentMeans><cbc:PaymentMeansCode>30</cbc:PaymentMeansCode><cbc:PaymentDueDate>2024-02-29</cbc:PaymentDueDate></cac:PaymentMeans>
 <cac:PaymentMeans><cbc:PaymentMeansCode>31</cbc:PaymentMeansCode><cbc:PaymentDueDate>2024-03-01</cbc:PaymentDueDate></cac:PaymentMeans>
 <cac:CreditNoteLine><cbc:ID>1</cbc:ID><cbc:CreditedQuantity unitCode="C62">2</cbc:CreditedQuantity></cac:CreditNoteLine>
</CreditNote>"##;

#[test]
fn credit_note_due_date_is_the_first_payment_due_date() {
    let (syntax, inv) = einvoice::read(CREDIT_NOTE.as_bytes()).unwrap();
    assert_eq!(syntax, Syntax::UblCreditNote);
    assert_eq!(text(&inv.due_date), Some("2024-02-29"));
    let quantity = inv.lines[0].quantity.as_ref().unwrap();
    assert_eq!(
        (quantity.value.value.as_str(), text(&quantity.unit)),
        ("2", Some("C62"))
    );
    let (xml, again) = round_trip(&inv, Syntax::UblCreditNote);
    assert_eq!(comparable(&inv), comparable(&again), "{xml}");
    assert_eq!(xml.matches("PaymentDueDate>").count(), 2, "{xml}");
}

#[test]
fn cii_dates_are_written_as_iso_dates() {
    let inv = Invoice {
        issue_date: Some(einvoice::Text::new("20240131")),
        due_date: Some(einvoice::Text::new("not a date")),
        ..Invoice::default()
    };
    let xml = ubl::write(&inv, Syntax::UblInvoice);
    assert!(
        xml.contains("<cbc:IssueDate>2024-01-31</cbc:IssueDate>"),
        "{xml}"
    );
    assert!(
        xml.contains("<cbc:DueDate>not a date</cbc:DueDate>"),
        "{xml}"
    );
}

#[test]
fn a_plain_note_that_looks_like_a_subject_code_stays_plain() {
    let mut inv = Invoice::default();
    inv.notes.push(einvoice::Note {
        text: Some(einvoice::Text::new("#ABC#not a code")),
        ..Default::default()
    });
    let (xml, again) = round_trip(&inv, Syntax::UblInvoice);
    assert_eq!(comparable(&inv), comparable(&again), "{xml}");
}

#[path = "ubl/generated.rs"]
mod generated;

/// Validation reads the model without attachment content; every other reader gets it whole,
/// text split by a comment and a CDATA section included.
#[test]
fn only_the_validation_model_leaves_attachment_content_out() {
    let xml = format!(
        r#"<Invoice xmlns="{inv}" xmlns:cac="{cac}" xmlns:cbc="{cbc}"><cbc:ID>7</cbc:ID>
<cac:AdditionalDocumentReference><cbc:ID>Timesheet</cbc:ID><cac:Attachment>
<cbc:EmbeddedDocumentBinaryObject mimeCode="application/pdf" filename="hours.pdf">JVBE<!-- split -->Ri0x<![CDATA[LjQK]]></cbc:EmbeddedDocumentBinaryObject>
</cac:Attachment></cac:AdditionalDocumentReference></Invoice>"#,
        inv = einvoice::NS_UBL_INVOICE,
        cac = einvoice::NS_CAC,
        cbc = einvoice::NS_CBC,
    );
    let source = Source::parse(xml.as_bytes()).expect("well-formed");
    let whole = source.invoice();
    let lean = source.invoice_without_attachment_content();
    let attachment = |inv: &Invoice| inv.documents[0].attachment.clone().expect("an attachment");
    assert_eq!(attachment(&whole).content.value, "JVBERi0xLjQK");
    assert_eq!(attachment(&lean).content.value, "");
    assert_eq!(attachment(&lean).content.at, attachment(&whole).content.at);
    assert_eq!(text(&attachment(&lean).filename), Some("hours.pdf"));
    assert_eq!(text(&attachment(&lean).mime_code), Some("application/pdf"));
    let mut filled = lean.clone();
    filled.documents[0].attachment = Some(attachment(&whole));
    assert_eq!(filled, whole, "nothing but the content differs");
}
