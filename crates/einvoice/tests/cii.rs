//! CII D16B reading and writing against the official EN 16931 CII examples.
//!
//! Round trip: read → write → read must give the same model. Models are compared as JSON
//! (positions are not serialised). Dates are compared by calendar value: every string that
//! parses as a date (`YYYY-MM-DD` or `YYYYMMDD`) is replaced by its ISO form on both sides,
//! because the writer emits dates in format 102 whatever their source form.

use std::path::{Path, PathBuf};

use einvoice::{Date, Invoice, Source, Syntax, Text, cii};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/en16931/cii/examples")
}

fn examples() -> Option<Vec<PathBuf>> {
    let dir = corpus();
    if !dir.is_dir() {
        eprintln!("corpus not found at {}; skipping", dir.display());
        return None;
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("read corpus dir")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("xml")))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no CII example in {}", dir.display());
    Some(files)
}

fn read(bytes: &[u8]) -> Invoice {
    let source = Source::parse(bytes).expect("parse");
    assert_eq!(source.syntax, Syntax::Cii);
    source.invoice()
}

fn read_file(name: &str) -> Option<Invoice> {
    let path = corpus().join(name);
    path.is_file()
        .then(|| read(&std::fs::read(&path).expect("read example")))
}

fn normalised(inv: &Invoice) -> serde_json::Value {
    fn walk(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::String(s) => {
                if let Some(d) = Date::parse(s.trim()) {
                    *s = d.iso();
                }
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(walk),
            serde_json::Value::Object(map) => map.values_mut().for_each(walk),
            _ => {}
        }
    }
    let mut v = serde_json::to_value(inv).expect("serialise");
    walk(&mut v);
    v
}

fn value(t: &Option<Text>) -> Option<&str> {
    t.as_ref().map(|t| t.value.as_str())
}

#[test]
fn every_example_reads_and_round_trips() {
    let Some(files) = examples() else { return };
    let mut read_count = 0;
    for path in &files {
        let bytes = std::fs::read(path).expect("read example");
        let first = read(&bytes);
        assert!(first.number.is_some(), "{}: no BT-1", path.display());
        assert!(!first.lines.is_empty(), "{}: no lines", path.display());
        let xml = cii::write(&first);
        let second = read(xml.as_bytes());
        assert_eq!(
            normalised(&first),
            normalised(&second),
            "{}: round trip changed the model; written:\n{xml}",
            path.display()
        );
        read_count += 1;
    }
    assert_eq!(read_count, files.len());
}

#[test]
fn example5_maximum_content_maps_every_term() {
    let Some(inv) = read_file("CII_example5.xml") else {
        return;
    };
    assert_eq!(value(&inv.number), Some("TOSL110"));
    assert_eq!(value(&inv.issue_date), Some("20130410"));
    assert_eq!(value(&inv.type_code), Some("380"));
    assert_eq!(value(&inv.currency), Some("DKK"));
    assert_eq!(value(&inv.vat_currency), Some("EUR"));
    assert_eq!(value(&inv.tax_point_date), Some("20130410"));
    assert_eq!(value(&inv.due_date), Some("20130510"));
    assert_eq!(value(&inv.buyer_reference), Some("qwerty"));
    assert_eq!(value(&inv.project_reference), Some("Project345"));
    assert_eq!(value(&inv.contract_reference), Some("2013-05"));
    assert_eq!(value(&inv.purchase_order_reference), Some("PO4711"));
    assert_eq!(value(&inv.sales_order_reference), Some("123"));
    assert_eq!(value(&inv.receiving_advice_reference), Some("3544"));
    assert_eq!(value(&inv.despatch_advice_reference), Some("5433"));
    assert_eq!(value(&inv.buyer_accounting_reference), Some("67543"));
    assert_eq!(
        value(&inv.payment_terms),
        Some("50% prepaid, 50% within one month")
    );
    assert_eq!(inv.notes.len(), 1);
    assert_eq!(value(&inv.notes[0].subject_code), Some("AAI"));
    assert_eq!(
        value(&inv.notes[0].text),
        Some("Ordered through our website")
    );
    assert_eq!(value(&inv.specification), Some("urn:cen.eu:en16931:2017"));
    assert_eq!(inv.preceding_invoices.len(), 1);
    assert_eq!(value(&inv.preceding_invoices[0].reference), Some("TOSL109"));
    assert_eq!(
        value(&inv.preceding_invoices[0].issue_date),
        Some("20130310")
    );

    let seller = inv.seller.as_ref().expect("BG-4");
    assert_eq!(value(&seller.name), Some("SellerCompany"));
    assert_eq!(value(&seller.trading_name), Some("SelCo"));
    assert_eq!(value(&seller.legal_info), Some("Export"));
    assert_eq!(seller.identifiers.len(), 1);
    assert_eq!(seller.identifiers[0].id.value, "5790000436101");
    assert_eq!(value(&seller.identifiers[0].scheme), Some("0088"));
    assert_eq!(
        seller
            .legal_registration
            .as_ref()
            .map(|i| i.id.value.as_str()),
        Some("NL16356706")
    );
    assert_eq!(value(&seller.vat_id), Some("NL16356706"));
    assert_eq!(value(&seller.tax_registration), Some("NL16356706"));
    let ea = seller.electronic_address.as_ref().expect("BT-34");
    assert_eq!(
        (ea.id.value.as_str(), value(&ea.scheme)),
        ("info@selco.nl", Some("EM"))
    );
    let address = seller.address.as_ref().expect("BG-5");
    assert_eq!(value(&address.line1), Some("Hoofdstraat 4"));
    assert_eq!(value(&address.line2), Some("Om de hoek"));
    assert_eq!(value(&address.city), Some("Grootstad"));
    assert_eq!(value(&address.post_code), Some("54321"));
    assert_eq!(value(&address.subdivision), Some("Overijssel"));
    assert_eq!(value(&address.country), Some("NL"));
    let contact = seller.contact.as_ref().expect("BG-6");
    assert_eq!(value(&contact.name), Some("Anthon Larsen"));
    assert_eq!(value(&contact.phone), Some("+3198989898"));
    assert_eq!(value(&contact.email), Some("Anthon@Selco.nl"));

    let buyer = inv.buyer.as_ref().expect("BG-7");
    assert_eq!(value(&buyer.name), Some("Buyercompany ltd"));
    assert_eq!(value(&buyer.vat_id), Some("DK16356607"));
    assert_eq!(value(&buyer.trading_name), Some("Buyco"));

    let payee = inv.payee.as_ref().expect("BG-10");
    assert_eq!(value(&payee.name), Some("Dagobert Duck"));
    assert_eq!(payee.identifiers[0].id.value, "DK16356608");
    assert_eq!(payee.identifiers[0].scheme, None);

    let rep = inv.tax_representative.as_ref().expect("BG-11");
    assert_eq!(value(&rep.name), Some("Dick Panama"));
    assert_eq!(value(&rep.vat_id), Some("DK16356609"));
    assert_eq!(
        value(&rep.address.as_ref().expect("BG-12").line2),
        Some("6th floor")
    );

    let delivery = inv.delivery.as_ref().expect("BG-13");
    assert_eq!(value(&delivery.party_name), Some("Logistic service Ltd"));
    assert_eq!(
        delivery.location.as_ref().map(|i| i.id.value.as_str()),
        Some("5790000436068")
    );
    assert_eq!(value(&delivery.date), Some("20130415"));
    assert_eq!(
        value(&delivery.address.as_ref().expect("BG-15").line2),
        Some("Gate 15")
    );

    let period = inv.period.as_ref().expect("BG-14");
    assert_eq!(
        (value(&period.start), value(&period.end)),
        (Some("20130310"), Some("20130410"))
    );

    assert_eq!(inv.payment_instructions.len(), 2);
    let pay = &inv.payment_instructions[0];
    assert_eq!(value(&pay.means_code), Some("58"));
    assert_eq!(value(&pay.means_text), Some("Half prepaid"));
    assert_eq!(value(&pay.remittance_information), Some("Payref1"));
    assert_eq!(
        value(&pay.credit_transfers[0].account_id),
        Some("DK1212341234123412")
    );
    let debit = pay.direct_debit.as_ref().expect("BG-19");
    assert_eq!(value(&debit.mandate_reference), Some("123456"));
    assert_eq!(value(&debit.creditor_id), Some("DK5678"));
    assert_eq!(debit.debited_account, None);

    // Two supporting documents without type code and one of type 916.
    assert_eq!(inv.documents.len(), 3);
    let slip = &inv.documents[2];
    assert_eq!(value(&slip.reference), Some("sales slip"));
    assert_eq!(value(&slip.description), Some("your sales slip"));
    let attachment = slip.attachment.as_ref().expect("BT-125");
    assert_eq!(value(&attachment.mime_code), Some("application/pdf"));
    assert_eq!(value(&attachment.filename), Some("EHF.pdf"));

    assert_eq!(inv.allowances_charges.len(), 2);
    let allowance = &inv.allowances_charges[0];
    assert_eq!(allowance.is_charge(), Some(false));
    assert_eq!(
        allowance.amount.as_ref().map(|a| a.value.value.as_str()),
        Some("150")
    );
    assert_eq!(value(&allowance.percentage), Some("10"));
    assert_eq!(value(&allowance.vat_category), Some("S"));
    assert_eq!(value(&allowance.vat_rate), Some("25"));
    assert_eq!(value(&allowance.reason_code), Some("95"));
    assert_eq!(inv.allowances_charges[1].is_charge(), Some(true));

    let totals = inv.totals.as_ref().expect("BG-22");
    let amount = |a: &Option<einvoice::Amount>| a.as_ref().map(|a| a.value.value.clone());
    assert_eq!(amount(&totals.line_net_total).as_deref(), Some("4000.00"));
    assert_eq!(amount(&totals.tax_inclusive).as_deref(), Some("4675"));
    assert_eq!(amount(&totals.prepaid).as_deref(), Some("2337.5"));
    assert_eq!(amount(&totals.payable).as_deref(), Some("2337.5"));
    let vat_totals: Vec<(&str, Option<&str>)> = inv
        .vat_totals
        .iter()
        .map(|a| (a.value.value.as_str(), value(&a.currency)))
        .collect();
    assert_eq!(
        vat_totals,
        [("675.00", Some("DKK")), ("628.62", Some("EUR"))]
    );
    assert_eq!(inv.vat_breakdown.len(), 2);
    assert_eq!(value(&inv.vat_breakdown[1].rate), Some("12"));
    assert_eq!(
        amount(&inv.vat_breakdown[1].taxable_amount).as_deref(),
        Some("2500")
    );

    let line = &inv.lines[0];
    assert_eq!(value(&line.id), Some("1"));
    assert_eq!(value(&line.note), Some("first line"));
    assert_eq!(
        line.object_id.as_ref().map(|i| i.id.value.as_str()),
        Some("Object2")
    );
    let q = line.quantity.as_ref().expect("BT-129");
    assert_eq!(
        (q.value.value.as_str(), value(&q.unit)),
        ("1000", Some("C62"))
    );
    assert_eq!(amount(&line.net_amount).as_deref(), Some("1000"));
    assert_eq!(value(&line.order_line_reference), Some("1"));
    assert_eq!(value(&line.accounting_reference), Some("ACC7654"));
    assert_eq!(line.allowances_charges.len(), 2);
    assert_eq!(value(&line.allowances_charges[1].reason), Some("Packaging"));
    let price = line.price.as_ref().expect("BG-29");
    assert_eq!(amount(&price.net).as_deref(), Some("1"));
    assert_eq!(amount(&price.gross).as_deref(), Some("1.1"));
    assert_eq!(amount(&price.discount).as_deref(), Some("10"));
    assert_eq!(
        price.base_quantity.as_ref().map(|q| q.value.value.as_str()),
        Some("1")
    );
    let vat = line.vat.as_ref().expect("BG-30");
    assert_eq!(
        (value(&vat.category), value(&vat.rate)),
        (Some("S"), Some("25"))
    );
    let item = line.item.as_ref().expect("BG-31");
    assert_eq!(value(&item.name), Some("Printing paper"));
    assert_eq!(value(&item.description), Some("Printing paper, 2mm"));
    assert_eq!(value(&item.sellers_id), Some("JB007"));
    assert_eq!(value(&item.buyers_id), Some("BUY123"));
    assert_eq!(value(&item.origin_country), Some("NL"));
    let standard = item.standard_id.as_ref().expect("BT-157");
    assert_eq!(
        (standard.id.value.as_str(), value(&standard.scheme)),
        ("1234567890128", Some("0088"))
    );
    assert_eq!(item.attributes.len(), 1);
    assert_eq!(value(&item.attributes[0].name), Some("Thickness"));
    assert_eq!(value(&item.attributes[0].value), Some("2 mm"));
}

#[test]
fn example2_classifications_and_line_periods() {
    let Some(inv) = read_file("CII_example2.xml") else {
        return;
    };
    let codes: Vec<(&str, Option<&str>)> = inv
        .lines
        .iter()
        .filter_map(|l| l.item.as_ref())
        .flat_map(|i| i.classifications.iter())
        .map(|c| (c.code.value.as_str(), value(&c.list_id)))
        .collect();
    assert_eq!(codes.len(), 5);
    assert_eq!(codes[0], ("65434568", Some("STI")));
    assert_eq!(codes[4], ("12344325", Some("STI")));
    let period = inv.lines[0].period.as_ref().expect("BG-26");
    assert_eq!(
        (value(&period.start), value(&period.end)),
        (Some("20130601"), Some("20130601"))
    );
}

#[test]
fn values_keep_their_text_and_position() {
    let xml = br#"<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100" xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100" xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
  <rsm:ExchangedDocument><ram:ID> A&amp;B </ram:ID><ram:ID>second</ram:ID><ram:TypeCode/></rsm:ExchangedDocument>
  <rsm:SupplyChainTradeTransaction>
    <ram:ApplicableHeaderTradeAgreement><ram:SellerTradeParty/></ram:ApplicableHeaderTradeAgreement>
    <ram:ApplicableHeaderTradeDelivery/>
    <ram:ApplicableHeaderTradeSettlement>
      <ram:ApplicableTradeTax><ram:DueDateTypeCode>5</ram:DueDateTypeCode></ram:ApplicableTradeTax>
      <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
        <ram:TaxTotalAmount currencyID="EUR">1.00</ram:TaxTotalAmount>
      </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
    </ram:ApplicableHeaderTradeSettlement>
  </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>"#;
    let source = Source::parse(xml).expect("parse");
    let inv = source.invoice();
    let number = inv.number.as_ref().expect("BT-1");
    assert_eq!(number.value, " A&B ", "the first of two, untrimmed");
    assert_eq!(
        source.location(number.at),
        "/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:ID[1]"
    );
    assert_eq!(value(&inv.type_code), Some(""), "present but empty");
    assert!(inv.seller.is_some(), "an empty group is present");
    assert!(inv.buyer.is_none());
    assert!(inv.delivery.is_some(), "BG-13 is the delivery element");
    assert_eq!(value(&inv.tax_point_date_code), Some("5"));
    assert_eq!(inv.vat_totals.len(), 1);
    assert!(inv.totals.is_some());
}

#[test]
fn writer_escapes_and_writes_dates_in_format_102() {
    let inv = Invoice {
        number: Some(Text::new("<1> & \"2\"\r")),
        issue_date: Some(Text::new("2024-01-31")),
        due_date: Some(Text::new("soon")),
        seller: Some(einvoice::Seller {
            electronic_address: Some(einvoice::Identifier {
                id: Text::new("a@b"),
                scheme: Some(Text::new("E\"M\t")),
            }),
            ..Default::default()
        }),
        ..Default::default()
    };
    let xml = cii::write(&inv);
    assert!(
        xml.contains(r#"<udt:DateTimeString format="102">20240131</udt:DateTimeString>"#),
        "{xml}"
    );
    assert!(
        xml.contains("<udt:DateTimeString>soon</udt:DateTimeString>"),
        "{xml}"
    );
    let back = read(xml.as_bytes());
    assert_eq!(value(&back.number), Some("<1> & \"2\"\r"));
    assert_eq!(value(&back.issue_date), Some("20240131"));
    assert_eq!(value(&back.due_date), Some("soon"));
    let ea = back
        .seller
        .and_then(|s| s.electronic_address)
        .expect("BT-34");
    assert_eq!(value(&ea.scheme), Some("E\"M\t"));
}

#[test]
fn writer_follows_the_schema_sequence() {
    let Some(inv) = read_file("CII_example5.xml") else {
        return;
    };
    let xml = cii::write(&inv);
    let order = [
        "<rsm:ExchangedDocumentContext>",
        "<rsm:ExchangedDocument>",
        "<ram:IncludedSupplyChainTradeLineItem>",
        "<ram:GrossPriceProductTradePrice>",
        "<ram:NetPriceProductTradePrice>",
        "<ram:ApplicableHeaderTradeAgreement>",
        "<ram:SellerTradeParty>",
        "<ram:BuyerTradeParty>",
        "<ram:SellerTaxRepresentativeTradeParty>",
        "<ram:SpecifiedProcuringProject>",
        "<ram:ApplicableHeaderTradeDelivery>",
        "<ram:ApplicableHeaderTradeSettlement>",
        "<ram:CreditorReferenceID>",
        "<ram:PaymentReference>",
        "<ram:InvoiceCurrencyCode>",
        "<ram:PayeeTradeParty>",
        "<ram:SpecifiedTradeSettlementPaymentMeans>",
        "<ram:ApplicableTradeTax>",
        "<ram:BillingSpecifiedPeriod>",
        "<ram:SpecifiedTradeAllowanceCharge>",
        "<ram:SpecifiedTradePaymentTerms>",
        "<ram:SpecifiedTradeSettlementHeaderMonetarySummation>",
        "<ram:InvoiceReferencedDocument>",
        "<ram:ReceivableSpecifiedTradeAccountingAccount>",
    ];
    let mut from = 0;
    for tag in order {
        let at = xml[from..]
            .find(tag)
            .unwrap_or_else(|| panic!("{tag} missing or out of order in\n{xml}"));
        from += at;
    }
}

#[test]
fn writer_bridges_what_cii_shapes_differently() {
    let amount = |v: &str| einvoice::Amount {
        value: Text::new(v),
        currency: Some(Text::new("EUR")),
    };
    let inv = Invoice {
        tax_point_date_code: Some(Text::new("35")),
        vat_breakdown: vec![einvoice::VatBreakdown::default()],
        preceding_invoices: vec![
            einvoice::PrecedingInvoice {
                reference: Some(Text::new("INV-1")),
                ..Default::default()
            },
            einvoice::PrecedingInvoice {
                reference: Some(Text::new("INV-2")),
                ..Default::default()
            },
        ],
        lines: vec![einvoice::Line {
            price: Some(einvoice::Price {
                net: Some(amount("10.00")),
                discount: Some(amount("2.50")),
                ..Default::default()
            }),
            ..Default::default()
        }],
        ..Default::default()
    };
    let back = read(cii::write(&inv).as_bytes());
    // UBL's UNTDID 2005 code 35 (delivery date) is UNTDID 2475 code 29 in CII.
    assert_eq!(value(&back.tax_point_date_code), Some("29"));
    // CII requires a gross price next to a price discount: net plus discount.
    let price = back.lines[0].price.as_ref().expect("BG-29");
    let gross = price.gross.as_ref().map(|a| a.value.value.as_str());
    assert_eq!(gross, Some("12.50"));
    // D16B has room for one preceding invoice reference.
    assert_eq!(back.preceding_invoices.len(), 1);
    assert_eq!(value(&back.preceding_invoices[0].reference), Some("INV-1"));
}
