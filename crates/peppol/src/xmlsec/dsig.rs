//! XML Signature: building and checking `ds:Signature` elements, and the enveloped signatures of
//! Peppol SMP documents.
//!
//! A signature is built in two steps: the caller writes the whole document with the signature in
//! place and a placeholder as its value, then `complete_signature` parses it,
//! canonicalizes the `ds:SignedInfo` where it sits (inclusive canonicalization depends on the
//! namespaces in scope there) and puts the RSA-SHA256 value in place of the placeholder.

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{RSA_PKCS1_2048_8192_SHA256, RSA_PKCS1_SHA256, UnparsedPublicKey};
use einvoice::xml::Node;

use super::c14n::{Method, canonicalize};
use super::{
    DSIG_NS, EXC_C14N_NS, SecurityError, base64_decode, base64_encode, escape, parse, sha256,
};
use crate::pki::{Certificate, Credentials, PrivateKey};

/// Exclusive XML Canonicalization 1.0, without comments.
pub const EXC_C14N: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
/// Canonical XML 1.0, without comments.
pub const C14N: &str = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315";
/// RSA PKCS#1 v1.5 with SHA-256.
pub const RSA_SHA256: &str = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
/// SHA-256 digests.
pub const SHA256: &str = "http://www.w3.org/2001/04/xmlenc#sha256";
/// The enveloped-signature transform.
pub const ENVELOPED: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";

/// What a signature's value reads until [`complete_signature`] computes it.
pub(crate) const SIGNATURE_VALUE_PLACEHOLDER: &str = "signature-value-to-be-computed";

/// More references than any Peppol signature has; bounds the work a hostile one causes.
const MAX_REFERENCES: usize = 64;

/// A reference to write into a new `ds:SignedInfo`.
pub(crate) struct NewReference<'a> {
    /// `#id` or `cid:content-id`.
    pub uri: &'a str,
    /// The transform algorithms, in order.
    pub transforms: &'a [&'a str],
    /// The SHA-256 digest of the transformed content.
    pub digest: [u8; 32],
}

/// A `ds:SignedInfo` with RSA-SHA256, SHA-256 digests and canonicalization `c14n`, written with
/// the `ds` prefix (declared by an enclosing `ds:Signature`).
pub(crate) fn signed_info(c14n: &str, references: &[NewReference<'_>]) -> String {
    let mut xml = format!(
        "<ds:SignedInfo><ds:CanonicalizationMethod Algorithm=\"{c14n}\"/>\
         <ds:SignatureMethod Algorithm=\"{RSA_SHA256}\"/>"
    );
    for reference in references {
        xml.push_str(&format!("<ds:Reference URI=\"{}\">", escape(reference.uri)));
        if !reference.transforms.is_empty() {
            xml.push_str("<ds:Transforms>");
            for transform in reference.transforms {
                xml.push_str(&format!("<ds:Transform Algorithm=\"{transform}\"/>"));
            }
            xml.push_str("</ds:Transforms>");
        }
        xml.push_str(&format!(
            "<ds:DigestMethod Algorithm=\"{SHA256}\"/><ds:DigestValue>{}</ds:DigestValue></ds:Reference>",
            base64_encode(&reference.digest)
        ));
    }
    xml.push_str("</ds:SignedInfo>");
    xml
}

/// Computes the value of the one signature in `document` whose `ds:SignatureValue` is
/// [`SIGNATURE_VALUE_PLACEHOLDER`], and returns the document with the value in place.
pub(crate) fn complete_signature(
    document: &str,
    key: &PrivateKey,
) -> Result<String, SecurityError> {
    let doc = parse(document)?;
    let value_text = doc
        .descendants()
        .find(|n| {
            is(*n, DSIG_NS, "SignatureValue") && n.text() == Some(SIGNATURE_VALUE_PLACEHOLDER)
        })
        .and_then(|n| n.first_child())
        .ok_or_else(|| SecurityError::Input("no signature to complete".to_owned()))?;
    let signature = value_text
        .parent_element()
        .and_then(|v| v.parent_element())
        .ok_or_else(|| SecurityError::Input("a SignatureValue outside a Signature".to_owned()))?;
    let signed_info = read_signed_info(signature, &[EXC_C14N, C14N])
        .map_err(|e| SecurityError::Input(e.to_string()))?;
    let canonical = signed_info.canonicalization.apply(signed_info.node, None);
    let value = sign(key, canonical.as_bytes())?;
    let range = value_text.range();
    let mut out = String::with_capacity(document.len() + value.len());
    out.push_str(document.get(..range.start).unwrap_or_default());
    out.push_str(&value);
    out.push_str(document.get(range.end..).unwrap_or_default());
    Ok(out)
}

/// The base64 RSA PKCS#1 v1.5 SHA-256 signature of `data`.
fn sign(key: &PrivateKey, data: &[u8]) -> Result<String, SecurityError> {
    let pair = key.signing();
    let mut signature = vec![0u8; pair.public_modulus_len()];
    pair.sign(
        &RSA_PKCS1_SHA256,
        &SystemRandom::new(),
        data,
        &mut signature,
    )
    .map_err(|_| SecurityError::Crypto("RSA signing failed".to_owned()))?;
    Ok(base64_encode(&signature))
}

/// A canonicalization algorithm read from a signature, with its PrefixList.
pub(crate) struct Canonicalization<'a> {
    exclusive: bool,
    prefixes: Vec<&'a str>,
}

impl<'a> Canonicalization<'a> {
    /// Reads the `Algorithm` of a CanonicalizationMethod or Transform element; `None` when it is
    /// not a canonicalization.
    fn read(method: Node<'a, '_>) -> Option<Self> {
        let exclusive = match method.attribute("Algorithm")? {
            EXC_C14N => true,
            C14N => false,
            _ => return None,
        };
        let prefixes = method
            .children()
            .filter(|c| is(*c, EXC_C14N_NS, "InclusiveNamespaces"))
            .filter_map(|c| c.attribute("PrefixList"))
            .flat_map(str::split_ascii_whitespace)
            .collect();
        Some(Canonicalization {
            exclusive,
            prefixes,
        })
    }

    /// Inclusive canonicalization, the default when a node set must become octets.
    fn inclusive() -> Self {
        Canonicalization {
            exclusive: false,
            prefixes: Vec::new(),
        }
    }

    /// The canonical form of `node` without `exclude`.
    pub(crate) fn apply(&self, node: Node<'_, '_>, exclude: Option<Node<'_, '_>>) -> String {
        let method = if self.exclusive {
            Method::Exclusive {
                inclusive_prefixes: &self.prefixes,
            }
        } else {
            Method::Inclusive
        };
        canonicalize(node, method, exclude)
    }
}

/// A `ds:Reference` read from a signature.
pub(crate) struct Reference<'a, 'input> {
    /// The element itself.
    pub node: Node<'a, 'input>,
    /// Its URI.
    pub uri: &'a str,
    /// The Transform elements, in order.
    pub transforms: Vec<Node<'a, 'input>>,
    /// The digest value.
    pub digest: Vec<u8>,
}

impl<'a> Reference<'a, '_> {
    /// The transform algorithms, in order.
    pub(crate) fn algorithms(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.transforms
            .iter()
            .map(|t| t.attribute("Algorithm").unwrap_or(""))
    }

    /// The canonicalization among the transforms, if any.
    pub(crate) fn canonicalization(&self) -> Option<Canonicalization<'a>> {
        self.transforms
            .iter()
            .find_map(|t| Canonicalization::read(*t))
    }

    /// Checks the digest of the transformed content.
    pub(crate) fn check_digest(&self, content: &[u8]) -> Result<(), SecurityError> {
        if sha256(content).as_slice() == self.digest.as_slice() {
            Ok(())
        } else {
            Err(SecurityError::Authentication(format!(
                "the digest of {} does not match its signed value",
                self.uri
            )))
        }
    }

    /// This reference as a standalone element (its exclusive canonical form), as the
    /// non-repudiation information of an AS4 receipt copies it.
    pub(crate) fn standalone(&self) -> String {
        canonicalize(
            self.node,
            Method::Exclusive {
                inclusive_prefixes: &[],
            },
            None,
        )
    }
}

/// A `ds:SignedInfo` read from a signature whose algorithms passed the policy.
pub(crate) struct SignedInfo<'a, 'input> {
    /// The element itself.
    pub node: Node<'a, 'input>,
    /// How it is canonicalized for signing.
    pub canonicalization: Canonicalization<'a>,
    /// The references, in order.
    pub references: Vec<Reference<'a, 'input>>,
}

/// Reads the SignedInfo of `signature`, refusing (as [`SecurityError::Policy`]) any
/// canonicalization outside `allowed_c14n`, any signature method but RSA-SHA256 and any digest
/// method but SHA-256.
pub(crate) fn read_signed_info<'a, 'input>(
    signature: Node<'a, 'input>,
    allowed_c14n: &[&str],
) -> Result<SignedInfo<'a, 'input>, SecurityError> {
    let policy = |what: &str| SecurityError::Policy(what.to_owned());
    let node = only_child(signature, DSIG_NS, "SignedInfo")?;
    let c14n_method = only_child(node, DSIG_NS, "CanonicalizationMethod")?;
    let c14n_algorithm = c14n_method.attribute("Algorithm").unwrap_or("");
    let canonicalization = Canonicalization::read(c14n_method)
        .filter(|_| allowed_c14n.contains(&c14n_algorithm))
        .ok_or_else(|| {
            SecurityError::Policy(format!(
                "canonicalization {c14n_algorithm:?} is not accepted"
            ))
        })?;
    let signature_method = only_child(node, DSIG_NS, "SignatureMethod")?;
    let signature_algorithm = signature_method.attribute("Algorithm").unwrap_or("");
    if signature_algorithm != RSA_SHA256 {
        return Err(SecurityError::Policy(format!(
            "signature method {signature_algorithm:?} is not accepted; RSA-SHA256 is required"
        )));
    }
    let mut references = Vec::new();
    for reference in children(node, DSIG_NS, "Reference") {
        if references.len() == MAX_REFERENCES {
            return Err(policy("too many signature references"));
        }
        let uri = reference
            .attribute("URI")
            .ok_or_else(|| policy("a signature reference without URI"))?;
        let transforms = match children(reference, DSIG_NS, "Transforms").next() {
            Some(t) => children(t, DSIG_NS, "Transform").collect(),
            None => Vec::new(),
        };
        let digest_algorithm = only_child(reference, DSIG_NS, "DigestMethod")?
            .attribute("Algorithm")
            .unwrap_or("");
        if digest_algorithm != SHA256 {
            return Err(SecurityError::Policy(format!(
                "digest method {digest_algorithm:?} of {uri} is not accepted; SHA-256 is required"
            )));
        }
        let digest = only_child(reference, DSIG_NS, "DigestValue")?
            .text()
            .and_then(base64_decode)
            .ok_or_else(|| policy("a DigestValue that is not base64"))?;
        references.push(Reference {
            node: reference,
            uri,
            transforms,
            digest,
        });
    }
    if references.is_empty() {
        return Err(policy("a signature without references"));
    }
    Ok(SignedInfo {
        node,
        canonicalization,
        references,
    })
}

/// Checks the `ds:SignatureValue` of `signature` over its canonical SignedInfo with the key of
/// `signer`.
pub(crate) fn check_signature_value(
    signature: Node<'_, '_>,
    signed_info: &SignedInfo<'_, '_>,
    signer: &Certificate,
) -> Result<(), SecurityError> {
    let value = only_child(signature, DSIG_NS, "SignatureValue")?
        .text()
        .and_then(base64_decode)
        .ok_or_else(|| {
            SecurityError::Authentication("the SignatureValue is not base64".to_owned())
        })?;
    let canonical = signed_info.canonicalization.apply(signed_info.node, None);
    UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, signer.public_key())
        .verify(canonical.as_bytes(), &value)
        .map_err(|_| {
            SecurityError::Authentication(format!(
                "the signature does not verify with the key of {}",
                signer.subject()
            ))
        })
}

/// Signs `document` with an enveloped signature as Peppol SMP 1.x does: the whole document
/// (`URI=""`), the enveloped-signature transform, inclusive C14N 1.0, RSA-SHA256, SHA-256, and
/// the signing certificate in `KeyInfo/X509Data`. The `ds:Signature` becomes the root
/// element's last child.
pub fn sign_enveloped(document: &str, own: &Credentials) -> Result<String, SecurityError> {
    let doc = parse(document)?;
    let root = doc.root_element();
    let digest = sha256(canonicalize(doc.root(), Method::Inclusive, None).as_bytes());
    let signature = format!(
        "<ds:Signature xmlns:ds=\"{DSIG_NS}\">{}<ds:SignatureValue>{SIGNATURE_VALUE_PLACEHOLDER}\
         </ds:SignatureValue><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{}\
         </ds:X509Certificate></ds:X509Data></ds:KeyInfo></ds:Signature>",
        signed_info(
            C14N,
            &[NewReference {
                uri: "",
                transforms: &[ENVELOPED],
                digest,
            }]
        ),
        base64_encode(own.certificate.der()),
    );
    let range = root.range();
    let element = document.get(range.clone()).unwrap_or_default();
    let before = document.get(..range.start).unwrap_or_default();
    let after = document.get(range.end..).unwrap_or_default();
    let signed = if let Some(open) = element.strip_suffix("/>") {
        // `<root/>`: write the end tag the signature needs.
        let name = match root.prefix() {
            Some(prefix) => format!("{prefix}:{}", root.tag_name().name()),
            None => root.tag_name().name().to_owned(),
        };
        format!("{before}{open}>{signature}</{name}>{after}")
    } else {
        let end_tag = element
            .rfind("</")
            .ok_or_else(|| SecurityError::Input("the root element has no end tag".to_owned()))?;
        let (content, end) = element.split_at(end_tag);
        format!("{before}{content}{signature}{end}{after}")
    };
    complete_signature(&signed, &own.key)
}

/// Verifies the enveloped signature of a signed SMP document (the one `ds:Signature` child of
/// the root element, over the whole document) and returns the certificate it carries. Whether
/// that certificate is trusted is the caller's decision.
pub fn verify_enveloped(document: &str) -> Result<Certificate, SecurityError> {
    let doc = parse(document)?;
    let signature = only_child(doc.root_element(), DSIG_NS, "Signature")?;
    let signed_info = read_signed_info(signature, &[C14N, EXC_C14N])?;
    let [reference] = signed_info.references.as_slice() else {
        return Err(SecurityError::Policy(
            "an enveloped signature must have exactly one reference".to_owned(),
        ));
    };
    if !reference.uri.is_empty() {
        return Err(SecurityError::Policy(format!(
            "the enveloped signature covers {:?}, not the whole document",
            reference.uri
        )));
    }
    let mut algorithms = reference.algorithms();
    if algorithms.next() != Some(ENVELOPED) {
        return Err(SecurityError::Policy(
            "the signature does not use the enveloped-signature transform".to_owned(),
        ));
    }
    let canonicalization = match (algorithms.next(), algorithms.next()) {
        (None, None) => Canonicalization::inclusive(),
        (Some(_), None) => reference.canonicalization().ok_or_else(|| {
            SecurityError::Policy("a transform other than C14N after the enveloped one".to_owned())
        })?,
        _ => {
            return Err(SecurityError::Policy(
                "more transforms than enveloped-signature and C14N".to_owned(),
            ));
        }
    };
    let certificate = embedded_certificate(signature)?;
    reference.check_digest(
        canonicalization
            .apply(doc.root(), Some(signature))
            .as_bytes(),
    )?;
    check_signature_value(signature, &signed_info, &certificate)?;
    Ok(certificate)
}

/// The certificate of `KeyInfo/X509Data/X509Certificate`.
fn embedded_certificate(signature: Node<'_, '_>) -> Result<Certificate, SecurityError> {
    let der = children(signature, DSIG_NS, "KeyInfo")
        .flat_map(|k| children(k, DSIG_NS, "X509Data"))
        .flat_map(|d| children(d, DSIG_NS, "X509Certificate"))
        .next()
        .and_then(|c| c.text())
        .and_then(base64_decode)
        .ok_or_else(|| {
            SecurityError::Policy("the signature carries no X509Certificate".to_owned())
        })?;
    Certificate::from_der(&der).map_err(|e| SecurityError::Authentication(e.to_string()))
}

/// Whether `node` is the element `{ns}local`.
pub(crate) fn is(node: Node<'_, '_>, ns: &str, local: &str) -> bool {
    node.is_element() && node.tag_name().name() == local && node.tag_name().namespace() == Some(ns)
}

/// The element children `{ns}local` of `parent`.
pub(crate) fn children<'a, 'input>(
    parent: Node<'a, 'input>,
    ns: &'a str,
    local: &'a str,
) -> impl Iterator<Item = Node<'a, 'input>> + 'a {
    parent.children().filter(move |c| is(*c, ns, local))
}

/// The one element child `{ns}local` of `parent`; none or several break the policy.
pub(crate) fn only_child<'a, 'input>(
    parent: Node<'a, 'input>,
    ns: &'a str,
    local: &'a str,
) -> Result<Node<'a, 'input>, SecurityError> {
    let mut found = children(parent, ns, local);
    match (found.next(), found.next()) {
        (Some(node), None) => Ok(node),
        (None, _) => Err(SecurityError::Policy(format!(
            "{} has no {local}",
            parent.tag_name().name()
        ))),
        (Some(_), Some(_)) => Err(SecurityError::Policy(format!(
            "{} has more than one {local}",
            parent.tag_name().name()
        ))),
    }
}
