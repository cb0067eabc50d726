//! Factur-X extraction from PDFs built here at test time with lopdf: a minimal PDF whose
//! catalog lists the invoice in `/AF` and/or `/Names/EmbeddedFiles`, FlateDecode-compressed.
//! Also PDFs without attachment, truncated and corrupted PDFs, and garbage.

use std::path::Path;

use einvoice::facturx::{self, Limits};
use einvoice::{Error, Source, Syntax};
use lopdf::{Dictionary, Document, Object, ObjectId, Stream, dictionary};

const SMALL_CII: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100" xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100">
  <rsm:ExchangedDocument><ram:ID>FX-1</ram:ID></rsm:ExchangedDocument>
</rsm:CrossIndustryInvoice>
"#;

/// A CII example from the corpus, or the small built-in one when the corpus is absent.
fn corpus_cii() -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/en16931/cii/examples/CII_example5.xml");
    std::fs::read(path).unwrap_or_else(|_| SMALL_CII.to_vec())
}

/// Where a test PDF lists its attachments.
#[derive(Clone, Copy)]
enum Listing {
    Af,
    Names,
    Both,
    /// `/Names/EmbeddedFiles` as a tree with an intermediate `/Kids` node.
    NamesWithKids,
}

/// Builds a one-page PDF with the given attachments (name, content), FlateDecode-compressed.
fn pdf(files: &[(&str, &[u8])], listing: Listing) -> Vec<u8> {
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => vec![page_id.into()],
            "Count" => 1,
        }),
    );
    let mut specs: Vec<(String, ObjectId)> = Vec::new();
    for (name, content) in files {
        let mut stream = Stream::new(
            dictionary! { "Type" => "EmbeddedFile", "Subtype" => "text/xml" },
            content.to_vec(),
        );
        stream.compress().expect("compress");
        let stream_id = doc.add_object(stream);
        let spec_id = doc.add_object(dictionary! {
            "Type" => "Filespec",
            "F" => Object::string_literal(*name),
            "UF" => Object::string_literal(*name),
            "AFRelationship" => "Alternative",
            "EF" => dictionary! { "F" => stream_id },
        });
        specs.push((name.to_string(), spec_id));
    }
    let mut catalog = dictionary! { "Type" => "Catalog", "Pages" => pages_id };
    if matches!(listing, Listing::Af | Listing::Both) {
        let af: Vec<Object> = specs.iter().map(|(_, id)| (*id).into()).collect();
        catalog.set("AF", af);
    }
    let names: Vec<Object> = specs
        .iter()
        .flat_map(|(name, id)| [Object::string_literal(name.as_str()), (*id).into()])
        .collect();
    match listing {
        Listing::Names | Listing::Both => {
            catalog.set(
                "Names",
                dictionary! { "EmbeddedFiles" => dictionary! { "Names" => names } },
            );
        }
        Listing::NamesWithKids => {
            let leaf = doc.add_object(dictionary! { "Names" => names });
            let root = doc.add_object(dictionary! { "Kids" => vec![leaf.into()] });
            catalog.set("Names", dictionary! { "EmbeddedFiles" => root });
        }
        Listing::Af => {}
    }
    let catalog_id = doc.add_object(catalog);
    doc.trailer.set("Root", catalog_id);
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("save");
    out
}

fn pdf_error(result: Result<Vec<u8>, Error>) -> String {
    match result {
        Err(Error::Pdf(message)) => message,
        other => panic!("expected Error::Pdf, got {other:?}"),
    }
}

#[test]
fn the_attachment_is_really_flate_compressed() {
    let xml = corpus_cii();
    let bytes = pdf(&[("factur-x.xml", &xml)], Listing::Both);
    let doc = Document::load_mem(&bytes).expect("load");
    let compressed = doc
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| s.dict.get(b"Type").and_then(Object::as_name).ok() == Some(b"EmbeddedFile"))
        .all(|s| s.dict.get(b"Filter").and_then(Object::as_name).ok() == Some(b"FlateDecode"));
    assert!(compressed);
    assert!(
        !bytes.windows(20).any(|w| w == &xml[..20]),
        "XML must not be stored in clear"
    );
}

#[test]
fn extracts_from_every_listing() {
    let xml = corpus_cii();
    for listing in [
        Listing::Af,
        Listing::Names,
        Listing::Both,
        Listing::NamesWithKids,
    ] {
        let bytes = pdf(&[("factur-x.xml", &xml)], listing);
        let extracted = facturx::extract(&bytes).expect("extract");
        assert_eq!(extracted, xml);
        let source = Source::parse(&extracted).expect("parse extracted XML");
        assert_eq!(source.syntax, Syntax::Cii);
        assert!(source.invoice().number.is_some());
    }
}

#[test]
fn prefers_the_conventional_names() {
    let other = b"<other/>".as_slice();
    for name in facturx::PREFERRED_NAMES {
        let bytes = pdf(
            &[("attachment.xml", other), (name, SMALL_CII)],
            Listing::Both,
        );
        assert_eq!(
            facturx::extract(&bytes).expect("extract"),
            SMALL_CII,
            "{name}"
        );
    }
    // An earlier preferred name wins over a later one, whatever the listing order.
    let bytes = pdf(
        &[("xrechnung.xml", other), ("factur-x.xml", SMALL_CII)],
        Listing::Af,
    );
    assert_eq!(facturx::extract(&bytes).expect("extract"), SMALL_CII);
}

#[test]
fn falls_back_to_the_first_xml_attachment() {
    let png = b"\x89PNG\r\n\x1a\n not xml".as_slice();
    let bytes = pdf(
        &[("logo.png", png), ("invoice-4711.xml", SMALL_CII)],
        Listing::Names,
    );
    assert_eq!(facturx::extract(&bytes).expect("extract"), SMALL_CII);

    let bytes = pdf(&[("logo.png", png)], Listing::Both);
    let message = pdf_error(facturx::extract(&bytes));
    assert!(message.contains("logo.png"), "{message}");
}

#[test]
fn a_pdf_without_attachment_is_refused() {
    let bytes = pdf(&[], Listing::Both);
    let message = pdf_error(facturx::extract(&bytes));
    assert!(message.contains("no embedded files"), "{message}");
}

#[test]
fn garbage_is_refused() {
    for input in [
        b"".as_slice(),
        b"hello",
        b"<xml/>",
        b"%PDF-",
        b"%PDF-1.7\n%%EOF",
        b"%PDF-1.7\n1 0 obj << /Type /Catalog /AF [2 0 R] >> endobj\ntrailer << /Root 1 0 R >>",
        b"%PDF-1.7\n1 0 obj << /Root 1 0 R /Kids [1 0 R] >> endobj\nxref\n0 1\ntrailer <<>>\n%%EOF",
    ] {
        pdf_error(facturx::extract(input));
    }
    let mut noise = Vec::with_capacity(4096);
    let mut state: u32 = 0x1234_5678;
    noise.extend_from_slice(b"%PDF-1.7\n");
    for _ in 0..4096 {
        state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        noise.push((state >> 16) as u8);
    }
    pdf_error(facturx::extract(&noise));
}

#[test]
fn truncated_and_corrupted_pdfs_never_panic() {
    let bytes = pdf(&[("factur-x.xml", SMALL_CII)], Listing::Both);
    let mut outcomes = (0, 0);
    for cut in (0..bytes.len()).step_by(7) {
        match facturx::extract(&bytes[..cut]) {
            // Lenient parsing may rebuild a truncated file; then it must find the real XML.
            Ok(xml) => {
                assert_eq!(xml, SMALL_CII, "cut at {cut}");
                outcomes.0 += 1;
            }
            Err(Error::Pdf(_)) => outcomes.1 += 1,
            Err(other) => panic!("cut at {cut}: unexpected {other:?}"),
        }
    }
    assert!(outcomes.1 > 0, "truncation must be noticed at least once");
    for at in (0..bytes.len()).step_by(5) {
        let mut corrupted = bytes.clone();
        corrupted[at] ^= 0x5a;
        match facturx::extract(&corrupted) {
            Ok(_) | Err(Error::Pdf(_)) => {}
            Err(other) => panic!("flip at {at}: unexpected {other:?}"),
        }
    }
}

#[test]
fn limits_bound_input_and_decoded_size() {
    let bytes = pdf(&[("factur-x.xml", SMALL_CII)], Listing::Both);
    let tight = Limits {
        max_pdf_bytes: bytes.len() - 1,
        ..Limits::default()
    };
    assert!(pdf_error(facturx::extract_with(&bytes, tight)).contains("limit"));

    // A decompression bomb: a few kilobytes that inflate to 8 MB.
    let bomb = vec![b' '; 8 * 1024 * 1024];
    let bytes = pdf(&[("factur-x.xml", &bomb)], Listing::Af);
    assert!(bytes.len() < 100_000);
    let small = Limits {
        max_xml_bytes: 1024 * 1024,
        ..Limits::default()
    };
    let message = pdf_error(facturx::extract_with(&bytes, small));
    assert!(message.contains("cannot decode"), "{message}");
    assert_eq!(
        facturx::extract(&bytes).expect("within the default limit"),
        bomb
    );
}

#[test]
fn a_cyclic_name_tree_terminates() {
    let mut doc = Document::with_version("1.7");
    let node = doc.new_object_id();
    let mut tree = Dictionary::new();
    tree.set(
        "Kids",
        vec![Object::Reference(node), Object::Reference(node)],
    );
    doc.objects.insert(node, Object::Dictionary(tree));
    let catalog = doc.add_object(dictionary! {
        "Type" => "Catalog",
        "Names" => dictionary! { "EmbeddedFiles" => node },
    });
    doc.trailer.set("Root", catalog);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).expect("save");
    let message = pdf_error(facturx::extract(&bytes));
    assert!(message.contains("no embedded files"), "{message}");
}
