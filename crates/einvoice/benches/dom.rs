//! Parse throughput of `einvoice::dom` against roxmltree on the valid example invoices of the
//! official corpus, and on a generated 100,000-line invoice (about 63 MB).
//!
//! `cargo bench -p einvoice --bench dom`. With `DOM_BENCH_ONLY=ours|roxmltree` and
//! `DOM_BENCH_LARGE=1` set, it instead parses once with one parser (for callgrind or
//! `/usr/bin/time -v`), so instruction counts and peak memory can be compared.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput};
use einvoice::xml::dom::{Document, ParsingOptions};

const FOLDERS: [&str; 5] = [
    "en16931/ubl/examples",
    "en16931/cii/examples",
    "en16931/test/testfiles",
    "peppol-bis/rules/examples",
    "peppol-bis/rules/national-examples",
];

fn corpus_examples() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    let mut texts = Vec::new();
    for folder in FOLDERS {
        let Ok(entries) = std::fs::read_dir(root.join(folder)) else {
            continue;
        };
        let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        for path in paths {
            let is_xml = path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("xml"));
            if is_xml && let Ok(text) = std::fs::read_to_string(&path) {
                texts.push(text);
            }
        }
    }
    texts
}

/// A UBL invoice with `lines` invoice lines, shaped like the one of scripts/bench.
fn large_invoice(lines: usize) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\" \
         xmlns:cac=\"urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2\" \
         xmlns:cbc=\"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2\">\n  <cbc:ID>BENCH</cbc:ID>\n",
    );
    for i in 1..=lines {
        let qty = i % 5 + 1;
        let price = 1234 + (i % 7) * 100;
        let amount = qty * price;
        out.push_str(&format!(
            "  <cac:InvoiceLine>\n    <cbc:ID>{i}</cbc:ID>\n    <cbc:InvoicedQuantity unitCode=\"C62\">{qty}</cbc:InvoicedQuantity>\n    \
             <cbc:LineExtensionAmount currencyID=\"EUR\">{}.{:02}</cbc:LineExtensionAmount>\n    <cac:Item>\n      \
             <cbc:Name>Article {i}</cbc:Name>\n      <cac:SellersItemIdentification><cbc:ID>ART-{i:06}</cbc:ID></cac:SellersItemIdentification>\n      \
             <cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>21</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory>\n    \
             </cac:Item>\n    <cac:Price><cbc:PriceAmount currencyID=\"EUR\">{}.{:02}</cbc:PriceAmount></cac:Price>\n  </cac:InvoiceLine>\n",
            amount / 100,
            amount % 100,
            price / 100,
            price % 100
        ));
    }
    out.push_str("</Invoice>\n");
    out
}

const OPTIONS: ParsingOptions = ParsingOptions {
    nodes_limit: 40_000_000,
    max_depth: 64,
};

fn rox_options<'a>() -> roxmltree::ParsingOptions<'a> {
    roxmltree::ParsingOptions {
        nodes_limit: 40_000_000,
        ..roxmltree::ParsingOptions::default()
    }
}

fn ours(text: &str) -> usize {
    Document::parse_with_options(text, OPTIONS).map_or(0, |d| d.descendants().len())
}

fn theirs(text: &str) -> usize {
    roxmltree::Document::parse_with_options(text, rox_options())
        .map_or(0, |d| d.descendants().len())
}

/// One parse with one parser, for callgrind and peak-memory measurements.
fn single_run(which: &str) {
    let texts = if std::env::var_os("DOM_BENCH_LARGE").is_some() {
        vec![large_invoice(100_000)]
    } else {
        corpus_examples()
    };
    let parse = if which == "roxmltree" { theirs } else { ours };
    let nodes: usize = texts.iter().map(|t| parse(t)).sum();
    let bytes: usize = texts.iter().map(String::len).sum();
    println!(
        "{which}: {} documents, {bytes} bytes, {nodes} nodes",
        texts.len()
    );
}

fn main() {
    if let Ok(which) = std::env::var("DOM_BENCH_ONLY") {
        single_run(&which);
        return;
    }
    let mut c = Criterion::default().configure_from_args();
    let texts = corpus_examples();
    if !texts.is_empty() {
        let bytes: usize = texts.iter().map(String::len).sum();
        let mut group = c.benchmark_group("corpus examples");
        group.throughput(Throughput::Bytes(bytes as u64));
        group.bench_function("einvoice::dom", |b| {
            b.iter(|| texts.iter().map(|t| ours(black_box(t))).sum::<usize>())
        });
        group.bench_function("roxmltree", |b| {
            b.iter(|| texts.iter().map(|t| theirs(black_box(t))).sum::<usize>())
        });
        group.finish();
    }
    let large = large_invoice(10_000);
    let mut group = c.benchmark_group("10,000-line invoice");
    group.throughput(Throughput::Bytes(large.len() as u64));
    group.sample_size(20);
    group.bench_function("einvoice::dom", |b| b.iter(|| ours(black_box(&large))));
    group.bench_function("roxmltree", |b| b.iter(|| theirs(black_box(&large))));
    group.finish();
    c.final_summary();
}
