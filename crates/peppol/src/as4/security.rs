//! The WS-Security header of Peppol AS4 messages (Peppol AS4 profile 2.x, OASIS WSS SwA 1.1).
//!
//! A user message is signed, then encrypted: the signature covers `eb:Messaging` and the SOAP
//! Body (exclusive C14N) and every attachment as sent before encryption, that is gzipped
//! (Attachment-Content-Signature-Transform); then every attachment is encrypted with one fresh
//! AES-128-GCM key, transported to the recipient with RSA-OAEP. Both certificates travel as
//! BinarySecurityTokens. A signal (receipt or error) is only signed.
//!
//! The header is laid out as the `as4` Python package and WSS4J-based access points write it:
//! the recipient's token, the sender's token, `xenc:EncryptedKey`, the `xenc:EncryptedData` of
//! each attachment, then `ds:Signature`; a receiver processes it in that order, decrypting
//! before checking the attachment digests.
//!
//! Left to the ebMS layer: that the signer's common name is the `eb:From` PartyId (the `as4`
//! package refuses messages where it is not), that a receipt's RefToMessageId and
//! non-repudiation references match what was sent, and that the recipient certificate given to
//! [`protect`] is trusted (it comes from the recipient's SMP entry).
//!
//! [`Verified::references`] are what a receipt copies into `ebbp:NonRepudiationInformation`.
//! The `as4` package compares those copies with what it signed by URI, the set of transform
//! algorithms, the digest method and the digest value; the exclusive canonical form of each
//! `ds:Reference` carries exactly those and declares its own namespaces, so it can be pasted
//! anywhere.

use std::collections::HashMap;
use std::time::SystemTime;

use aws_lc_rs::rand::{SecureRandom, SystemRandom};
use einvoice::xml::{Document, Node};

use crate::pki::{Certificate, Credentials, TrustStore};
use crate::xmlsec::dsig::{
    self, EXC_C14N, NewReference, SIGNATURE_VALUE_PLACEHOLDER, children, is, only_child,
};
use crate::xmlsec::xmlenc::{self, AES128_GCM, MGF1_SHA256, RSA_OAEP};
use crate::xmlsec::{
    DSIG_NS, XENC_NS, XENC11_NS, base64_decode, base64_encode, escape, parse, sha256,
};

pub use crate::xmlsec::SecurityError;

/// SOAP 1.2 envelope namespace.
const SOAP_NS: &str = "http://www.w3.org/2003/05/soap-envelope";
/// ebMS 3.0 core namespace.
const EBMS_NS: &str = "http://docs.oasis-open.org/ebxml-msg/ebms/v3.0/ns/core/200704/";
/// WS-Security 1.0 secext namespace.
const WSSE_NS: &str =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
/// WS-Security 1.1 secext namespace (TokenType).
const WSSE11_NS: &str = "http://docs.oasis-open.org/wss/oasis-wss-wssecurity-secext-1.1.xsd";
/// WS-Security utility namespace (wsu:Id).
const WSU_NS: &str =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";
/// BinarySecurityToken encoding.
const BASE64_BINARY: &str = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary";
/// BinarySecurityToken value type: one X.509 v3 certificate.
const X509V3: &str =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3";
/// SwA: the signature covers the attachment's content only.
const ATTACHMENT_CONTENT_SIGNATURE: &str = "http://docs.oasis-open.org/wss/oasis-wss-SwAProfile-1.1#Attachment-Content-Signature-Transform";
/// SwA: the encrypted data is the attachment's content only.
const ATTACHMENT_CONTENT_ONLY: &str =
    "http://docs.oasis-open.org/wss/oasis-wss-SwAProfile-1.1#Attachment-Content-Only";
/// SwA: the cipher text is the attachment's content.
const ATTACHMENT_CIPHERTEXT: &str =
    "http://docs.oasis-open.org/wss/oasis-wss-SwAProfile-1.1#Attachment-Ciphertext-Transform";
/// WSS 1.1 token type of a reference to an EncryptedKey.
const ENCRYPTED_KEY_TOKEN: &str =
    "http://docs.oasis-open.org/wss/oasis-wss-soap-message-security-1.1#EncryptedKey";

/// A MIME attachment of an AS4 message.
#[derive(Clone, PartialEq, Eq)]
pub struct Attachment {
    /// The Content-ID without angle brackets, as `cid:` URIs name it.
    pub content_id: String,
    /// The MIME type of `bytes`.
    pub mime_type: String,
    /// The content.
    pub bytes: Vec<u8>,
}

/// Shows the size, not the content: attachments are business documents and can be large.
impl std::fmt::Debug for Attachment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Attachment")
            .field("content_id", &self.content_id)
            .field("mime_type", &self.mime_type)
            .field("bytes", &self.bytes.len())
            .finish()
    }
}

/// What a verified message or signal proves.
#[derive(Clone, Debug)]
pub struct Verified {
    /// The certificate the signature verified with.
    pub signer: Certificate,
    /// Each `ds:Reference` of the SignedInfo as standalone XML (its exclusive canonical form,
    /// declaring the namespaces it uses), for a receipt's `ebbp:NonRepudiationInformation`.
    pub references: Vec<String>,
}

/// Sender side. `envelope` is a complete SOAP 1.2 envelope (no wsse:Security yet) whose
/// eb:Messaging and S12:Body carry wsu:Id attributes; `attachments` hold the gzipped payloads.
/// Signs eb:Messaging, the Body and every attachment (Attachment-Content-Signature-Transform),
/// then encrypts every attachment for `recipient` (AES-128-GCM, key by RSA-OAEP), replacing
/// `bytes` with the ciphertext and `mime_type` with application/octet-stream (the type before,
/// normally application/gzip, becomes the EncryptedData's MimeType). Returns the envelope with
/// the wsse:Security header (mustUnderstand) inserted as the first header child.
pub fn protect(
    envelope: &str,
    attachments: &mut [Attachment],
    own: &Credentials,
    recipient: &Certificate,
) -> Result<String, SecurityError> {
    if attachments.is_empty() {
        return Err(SecurityError::Input(
            "a user message to protect needs at least one attachment".to_owned(),
        ));
    }
    for (i, attachment) in attachments.iter().enumerate() {
        if attachments[..i]
            .iter()
            .any(|a| a.content_id == attachment.content_id)
        {
            return Err(SecurityError::Input(format!(
                "two attachments are named {}",
                attachment.content_id
            )));
        }
    }
    let doc = parse(envelope)?;
    let parts = OutgoingParts::find(&doc)?;

    let recipient_token = fresh_id()?;
    let own_token = fresh_id()?;
    let encrypted_key_id = fresh_id()?;
    let data_ids = attachments
        .iter()
        .map(|_| fresh_id())
        .collect::<Result<Vec<_>, _>>()?;

    let mut references = parts.references();
    let cids: Vec<String> = attachments
        .iter()
        .map(|a| format!("cid:{}", a.content_id))
        .collect();
    for (attachment, cid) in attachments.iter().zip(&cids) {
        references.push(NewReference {
            uri: cid,
            transforms: &[ATTACHMENT_CONTENT_SIGNATURE],
            digest: sha256(&attachment.bytes),
        });
    }
    let signed_info = dsig::signed_info(EXC_C14N, &references);

    let key = xmlenc::content_key()?;
    let wrapped = xmlenc::wrap_key(recipient, &key)?;
    let mut encrypted_data = String::new();
    for (attachment, data_id) in attachments.iter_mut().zip(&data_ids) {
        encrypted_data.push_str(&format!(
            "<xenc:EncryptedData Id=\"{data_id}\" MimeType=\"{}\" Type=\"{ATTACHMENT_CONTENT_ONLY}\">\
             <xenc:EncryptionMethod Algorithm=\"{AES128_GCM}\"/>\
             <ds:KeyInfo><wsse:SecurityTokenReference wsse11:TokenType=\"{ENCRYPTED_KEY_TOKEN}\">\
             <wsse:Reference URI=\"#{encrypted_key_id}\"/></wsse:SecurityTokenReference></ds:KeyInfo>\
             <xenc:CipherData><xenc:CipherReference URI=\"cid:{}\"><xenc:Transforms>\
             <ds:Transform Algorithm=\"{ATTACHMENT_CIPHERTEXT}\"/></xenc:Transforms>\
             </xenc:CipherReference></xenc:CipherData></xenc:EncryptedData>",
            escape(&attachment.mime_type),
            escape(&attachment.content_id),
        ));
        attachment.bytes = xmlenc::encrypt_content(&key, &attachment.bytes)?;
        attachment.mime_type = "application/octet-stream".to_owned();
    }
    let data_references: String = data_ids
        .iter()
        .map(|id| format!("<xenc:DataReference URI=\"#{id}\"/>"))
        .collect();

    let header = format!(
        "{open}{recipient_bst}{own_bst}\
         <xenc:EncryptedKey Id=\"{encrypted_key_id}\">\
         <xenc:EncryptionMethod Algorithm=\"{RSA_OAEP}\">\
         <ds:DigestMethod Algorithm=\"{sha256}\"/><xenc11:MGF Algorithm=\"{MGF1_SHA256}\"/>\
         </xenc:EncryptionMethod>\
         <ds:KeyInfo><wsse:SecurityTokenReference>\
         <wsse:Reference URI=\"#{recipient_token}\" ValueType=\"{X509V3}\"/>\
         </wsse:SecurityTokenReference></ds:KeyInfo>\
         <xenc:CipherData><xenc:CipherValue>{cipher}</xenc:CipherValue></xenc:CipherData>\
         <xenc:ReferenceList>{data_references}</xenc:ReferenceList></xenc:EncryptedKey>\
         {encrypted_data}{signature}</wsse:Security>",
        open = security_open_tag(&parts.soap_prefix),
        recipient_bst = binary_security_token(&recipient_token, recipient),
        own_bst = binary_security_token(&own_token, &own.certificate),
        sha256 = dsig::SHA256,
        cipher = base64_encode(&wrapped),
        signature = signature(&signed_info, &own_token),
    );
    let unsigned = parts.insert_header(envelope, &header)?;
    dsig::complete_signature(&unsigned, &own.key)
}

/// The references the signature of a [`protect`]ed envelope covers, as (URI, digest value):
/// what the receipt's non-repudiation information must repeat for the sender to hold proof
/// of what was received. Read back from the envelope, so `protect` keeps its signature.
pub fn signed_references(envelope: &str) -> Result<Vec<(String, Vec<u8>)>, SecurityError> {
    let doc = parse(envelope)?;
    let received = Received::read(&doc)?;
    Ok(received
        .signed_info
        .references
        .iter()
        .map(|r| (r.uri.to_owned(), r.digest.clone()))
        .collect())
}

/// Receiver side: checks policy (algorithms, that Messaging, Body and every attachment are
/// signed and encrypted, unique Ids), validates the BinarySecurityToken certificate with `trust`
/// at `now`, decrypts the attachments in place with `own`'s key, then verifies every digest and
/// the signature. Decrypted attachments take the MimeType their EncryptedData declares.
pub fn unprotect(
    envelope: &str,
    attachments: &mut [Attachment],
    own: &Credentials,
    trust: &TrustStore,
    now: SystemTime,
) -> Result<Verified, SecurityError> {
    let doc = parse(envelope)?;
    let received = Received::read(&doc)?;
    let cids: HashMap<String, usize> = attachments
        .iter()
        .enumerate()
        .map(|(i, a)| (a.content_id.clone(), i))
        .collect();
    if cids.len() != attachments.len() {
        return Err(SecurityError::Policy(
            "two attachments share a Content-ID".to_owned(),
        ));
    }
    for attachment in attachments.iter() {
        if !received.signs_attachment(&attachment.content_id) {
            return Err(SecurityError::Policy(format!(
                "attachment {} is not signed",
                attachment.content_id
            )));
        }
    }
    let signer = received.signer()?;
    trust
        .validate(&signer, now)
        .map_err(|e| SecurityError::Authentication(e.to_string()))?;

    for decrypted in decrypt(&received, attachments, &cids, own)? {
        if let Some(attachment) = attachments.get_mut(decrypted.index) {
            attachment.bytes = decrypted.bytes;
            if let Some(mime_type) = decrypted.mime_type {
                attachment.mime_type = mime_type;
            }
        }
    }
    for reference in &received.signed_info.references {
        if let Some(cid) = reference.uri.strip_prefix("cid:") {
            let attachment = cids
                .get(cid)
                .and_then(|&i| attachments.get(i))
                .ok_or_else(|| {
                    SecurityError::Policy(format!(
                        "the signature covers a missing attachment {cid}"
                    ))
                })?;
            reference.check_digest(&attachment.bytes)?;
        }
    }
    received.verify(signer)
}

/// Signs a signal (receipt or error) envelope over eb:Messaging and the Body; no encryption.
pub fn sign_signal(envelope: &str, own: &Credentials) -> Result<String, SecurityError> {
    let doc = parse(envelope)?;
    let parts = OutgoingParts::find(&doc)?;
    let own_token = fresh_id()?;
    let signed_info = dsig::signed_info(EXC_C14N, &parts.references());
    let header = format!(
        "{}{}{}</wsse:Security>",
        security_open_tag(&parts.soap_prefix),
        binary_security_token(&own_token, &own.certificate),
        signature(&signed_info, &own_token),
    );
    let unsigned = parts.insert_header(envelope, &header)?;
    dsig::complete_signature(&unsigned, &own.key)
}

/// Checks a received signal's signature; the signer must be `expected` (the receiving AP's
/// certificate from its SMP entry) and valid in `trust`.
pub fn verify_signal(
    envelope: &str,
    expected: &Certificate,
    trust: &TrustStore,
    now: SystemTime,
) -> Result<Verified, SecurityError> {
    let doc = parse(envelope)?;
    let received = Received::read(&doc)?;
    if let Some(reference) = received
        .signed_info
        .references
        .iter()
        .find(|r| r.uri.starts_with("cid:"))
    {
        return Err(SecurityError::Policy(format!(
            "a signal has no attachments, yet its signature covers {}",
            reference.uri
        )));
    }
    let signer = received.signer()?;
    if signer.der() != expected.der() {
        return Err(SecurityError::Authentication(format!(
            "the signal is signed by {}, not by {}",
            signer.subject(),
            expected.subject()
        )));
    }
    trust
        .validate(&signer, now)
        .map_err(|e| SecurityError::Authentication(e.to_string()))?;
    received.verify(signer)
}

/// The parts of an envelope to be signed.
struct OutgoingParts<'a> {
    header: Node<'a, 'a>,
    soap_prefix: Option<&'a str>,
    messaging: (String, [u8; 32]),
    body: (String, [u8; 32]),
}

impl<'a> OutgoingParts<'a> {
    fn find(doc: &'a Document<'a>) -> Result<Self, SecurityError> {
        let input = |what: &str| SecurityError::Input(what.to_owned());
        let envelope = doc.root_element();
        if !is(envelope, SOAP_NS, "Envelope") {
            return Err(input("the root element is not a SOAP 1.2 Envelope"));
        }
        let header = only_child(envelope, SOAP_NS, "Header").map_err(|e| input(&e.to_string()))?;
        if children(header, WSSE_NS, "Security").next().is_some() {
            return Err(input("the envelope already has a wsse:Security header"));
        }
        let messaging =
            only_child(header, EBMS_NS, "Messaging").map_err(|e| input(&e.to_string()))?;
        let body = only_child(envelope, SOAP_NS, "Body").map_err(|e| input(&e.to_string()))?;
        let digest = |node: Node<'_, '_>| -> Result<(String, [u8; 32]), SecurityError> {
            let id = node.attribute((WSU_NS, "Id")).ok_or_else(|| {
                SecurityError::Input(format!("{} has no wsu:Id", node.tag_name().name()))
            })?;
            let canonical = dsig_exclusive(node);
            Ok((format!("#{id}"), sha256(canonical.as_bytes())))
        };
        Ok(OutgoingParts {
            header,
            soap_prefix: envelope.prefix(),
            messaging: digest(messaging)?,
            body: digest(body)?,
        })
    }

    fn references(&self) -> Vec<NewReference<'_>> {
        [&self.messaging, &self.body]
            .into_iter()
            .map(|(uri, digest)| NewReference {
                uri,
                transforms: &[EXC_C14N],
                digest: *digest,
            })
            .collect()
    }

    /// `envelope` with `security` as the first child of the SOAP Header.
    fn insert_header(&self, envelope: &str, security: &str) -> Result<String, SecurityError> {
        let start = self.header.range().start;
        let tag_end = start_tag_end(envelope, start)
            .ok_or_else(|| SecurityError::Input("the SOAP Header's start tag is cut".to_owned()))?;
        let (before, after) = envelope.split_at(tag_end);
        if let Some(open) = before.strip_suffix("/>") {
            let name = match self.soap_prefix {
                Some(prefix) => format!("{prefix}:Header"),
                None => "Header".to_owned(),
            };
            Ok(format!("{open}>{security}</{name}>{after}"))
        } else {
            Ok(format!("{before}{security}{after}"))
        }
    }
}

/// The exclusive canonical form of an element signed with no PrefixList.
fn dsig_exclusive(node: Node<'_, '_>) -> String {
    crate::xmlsec::c14n::canonicalize(
        node,
        crate::xmlsec::c14n::Method::Exclusive {
            inclusive_prefixes: &[],
        },
        None,
    )
}

/// The byte offset just past the `>` of the start tag that begins at `start`, skipping `>`
/// inside quoted attribute values.
fn start_tag_end(text: &str, start: usize) -> Option<usize> {
    let mut quote = None;
    for (offset, c) in text.get(start..)?.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(start + offset + 1),
            _ => {}
        }
    }
    None
}

/// The start tag of the Security header with every namespace its content uses.
fn security_open_tag(soap_prefix: &Option<&str>) -> String {
    let must_understand = match soap_prefix {
        Some(prefix) => format!("{prefix}:mustUnderstand=\"true\""),
        None => format!("xmlns:S12=\"{SOAP_NS}\" S12:mustUnderstand=\"true\""),
    };
    format!(
        "<wsse:Security xmlns:wsse=\"{WSSE_NS}\" xmlns:wsse11=\"{WSSE11_NS}\" \
         xmlns:wsu=\"{WSU_NS}\" xmlns:ds=\"{DSIG_NS}\" xmlns:xenc=\"{XENC_NS}\" \
         xmlns:xenc11=\"{XENC11_NS}\" {must_understand}>"
    )
}

fn binary_security_token(id: &str, certificate: &Certificate) -> String {
    format!(
        "<wsse:BinarySecurityToken EncodingType=\"{BASE64_BINARY}\" ValueType=\"{X509V3}\" \
         wsu:Id=\"{id}\">{}</wsse:BinarySecurityToken>",
        base64_encode(certificate.der())
    )
}

/// A `ds:Signature` with `signed_info`, the value to be computed, and a reference to the
/// signer's BinarySecurityToken.
fn signature(signed_info: &str, token_id: &str) -> String {
    format!(
        "<ds:Signature>{signed_info}<ds:SignatureValue>{SIGNATURE_VALUE_PLACEHOLDER}</ds:SignatureValue>\
         <ds:KeyInfo><wsse:SecurityTokenReference><wsse:Reference URI=\"#{token_id}\" \
         ValueType=\"{X509V3}\"/></wsse:SecurityTokenReference></ds:KeyInfo></ds:Signature>"
    )
}

/// A fresh `xsd:ID`: a letter first, then 128 random bits (the `as4` package's bare UUIDs are
/// invalid IDs when they start with a digit).
fn fresh_id() -> Result<String, SecurityError> {
    let mut bytes = [0u8; 16];
    SystemRandom::new()
        .fill(&mut bytes)
        .map_err(|_| SecurityError::Crypto("the system random generator failed".to_owned()))?;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    Ok(format!("id-{hex}"))
}

/// The security header of a received message, read and checked against the policy.
struct Received<'a> {
    security: Node<'a, 'a>,
    signature: Node<'a, 'a>,
    signed_info: dsig::SignedInfo<'a, 'a>,
    ids: HashMap<&'a str, Node<'a, 'a>>,
}

impl<'a> Received<'a> {
    /// Reads the header and checks the policy: unique Ids, one Security header with one
    /// signature of accepted algorithms covering eb:Messaging and the Body, each `#` reference
    /// with exclusive C14N only and each `cid:` reference with the attachment transform only.
    fn read(doc: &'a Document<'a>) -> Result<Self, SecurityError> {
        let policy = |what: &str| SecurityError::Policy(what.to_owned());
        let ids = index_ids(doc)?;
        let envelope = doc.root_element();
        if !is(envelope, SOAP_NS, "Envelope") {
            return Err(policy("the root element is not a SOAP 1.2 Envelope"));
        }
        let header = only_child(envelope, SOAP_NS, "Header")?;
        let security = only_child(header, WSSE_NS, "Security")?;
        let messaging = only_child(header, EBMS_NS, "Messaging")?;
        let body = only_child(envelope, SOAP_NS, "Body")?;
        let signature = only_child(security, DSIG_NS, "Signature")?;
        let signed_info = dsig::read_signed_info(signature, &[EXC_C14N])?;

        let mut uris = Vec::new();
        for reference in &signed_info.references {
            if uris.contains(&reference.uri) {
                return Err(SecurityError::Policy(format!(
                    "the signature covers {} twice",
                    reference.uri
                )));
            }
            uris.push(reference.uri);
            let algorithms: Vec<&str> = reference.algorithms().collect();
            let expected = if reference.uri.starts_with("cid:") {
                ATTACHMENT_CONTENT_SIGNATURE
            } else if reference.uri.starts_with('#') {
                EXC_C14N
            } else {
                return Err(SecurityError::Policy(format!(
                    "a signature reference to {:?}, neither an element nor an attachment",
                    reference.uri
                )));
            };
            if algorithms != [expected] {
                return Err(SecurityError::Policy(format!(
                    "the transforms of {} are {algorithms:?}, not [{expected}]",
                    reference.uri
                )));
            }
        }
        let covers = |node: Node<'_, '_>| {
            signed_info.references.iter().any(|r| {
                r.uri
                    .strip_prefix('#')
                    .and_then(|id| ids.get(id))
                    .is_some_and(|target| *target == node)
            })
        };
        if !covers(messaging) {
            return Err(policy("eb:Messaging is not signed"));
        }
        if !covers(body) {
            return Err(policy("the SOAP Body is not signed"));
        }
        Ok(Received {
            security,
            signature,
            signed_info,
            ids,
        })
    }

    fn signs_attachment(&self, content_id: &str) -> bool {
        self.signed_info
            .references
            .iter()
            .any(|r| r.uri.strip_prefix("cid:") == Some(content_id))
    }

    /// The certificate of the BinarySecurityToken the signature's KeyInfo references.
    fn signer(&self) -> Result<Certificate, SecurityError> {
        let key_info = only_child(self.signature, DSIG_NS, "KeyInfo")?;
        let token = self.referenced_token(key_info)?;
        token_certificate(token)
    }

    /// The BinarySecurityToken in this Security header that the SecurityTokenReference of
    /// `key_info` points to.
    fn referenced_token(&self, key_info: Node<'a, 'a>) -> Result<Node<'a, 'a>, SecurityError> {
        let reference = only_child(key_info, WSSE_NS, "SecurityTokenReference")
            .and_then(|str_| only_child(str_, WSSE_NS, "Reference"))?;
        let uri = reference.attribute("URI").unwrap_or("");
        uri.strip_prefix('#')
            .and_then(|id| self.ids.get(id))
            .filter(|t| is(**t, WSSE_NS, "BinarySecurityToken"))
            .filter(|t| t.parent_element() == Some(self.security))
            .copied()
            .ok_or_else(|| {
                SecurityError::Policy(format!(
                    "the security token {uri:?} is not a BinarySecurityToken of the header"
                ))
            })
    }

    /// Checks the digests of the signed elements and the signature value.
    fn verify(self, signer: Certificate) -> Result<Verified, SecurityError> {
        for reference in &self.signed_info.references {
            if let Some(id) = reference.uri.strip_prefix('#') {
                let target = self.ids.get(id).ok_or_else(|| {
                    SecurityError::Policy(format!("nothing has the signed Id {id}"))
                })?;
                let canonicalization = reference.canonicalization().ok_or_else(|| {
                    SecurityError::Policy(format!("{} is not canonicalized", reference.uri))
                })?;
                reference.check_digest(canonicalization.apply(*target, None).as_bytes())?;
            }
        }
        dsig::check_signature_value(self.signature, &self.signed_info, &signer)?;
        Ok(Verified {
            signer,
            references: self
                .signed_info
                .references
                .iter()
                .map(|r| r.standalone())
                .collect(),
        })
    }
}

/// An attachment's plaintext.
struct Decrypted {
    /// The attachment's index.
    index: usize,
    bytes: Vec<u8>,
    /// The MimeType its EncryptedData declares.
    mime_type: Option<String>,
}

/// Decrypts the content key and then every attachment; each attachment must be encrypted.
fn decrypt(
    received: &Received<'_>,
    attachments: &[Attachment],
    cids: &HashMap<String, usize>,
    own: &Credentials,
) -> Result<Vec<Decrypted>, SecurityError> {
    let policy = |what: String| SecurityError::Policy(what);
    let encrypted_key = only_child(received.security, XENC_NS, "EncryptedKey")?;
    let method = only_child(encrypted_key, XENC_NS, "EncryptionMethod")?;
    let algorithm = method.attribute("Algorithm").unwrap_or("");
    if algorithm != RSA_OAEP {
        return Err(policy(format!(
            "key transport {algorithm:?} is not accepted; RSA-OAEP is required"
        )));
    }
    // XML Encryption 1.1 defaults are SHA-1 and MGF1-SHA1, so both must be named.
    let digest = children(method, DSIG_NS, "DigestMethod")
        .next()
        .and_then(|d| d.attribute("Algorithm"));
    let mgf = children(method, XENC11_NS, "MGF")
        .next()
        .and_then(|m| m.attribute("Algorithm"));
    if digest != Some(dsig::SHA256) || mgf != Some(MGF1_SHA256) {
        return Err(policy(format!(
            "RSA-OAEP with digest {digest:?} and MGF {mgf:?}; SHA-256 and MGF1-SHA256 are required"
        )));
    }
    // A direct reference to a token names the certificate the key was encrypted for; other
    // key identifiers (issuer and serial, key identifier) are left to the decryption to refute.
    let key_info = children(encrypted_key, DSIG_NS, "KeyInfo").next();
    let direct = key_info.is_some_and(|k| {
        children(k, WSSE_NS, "SecurityTokenReference")
            .any(|r| children(r, WSSE_NS, "Reference").next().is_some())
    });
    if let (Some(key_info), true) = (key_info, direct) {
        let token = received.referenced_token(key_info)?;
        if token_certificate(token)?.der() != own.certificate.der() {
            return Err(SecurityError::Decryption(
                "the content key is encrypted for another certificate".to_owned(),
            ));
        }
    }
    let wrapped = only_child(encrypted_key, XENC_NS, "CipherData")
        .and_then(|d| only_child(d, XENC_NS, "CipherValue"))?
        .text()
        .and_then(base64_decode)
        .ok_or_else(|| policy("the EncryptedKey's CipherValue is not base64".to_owned()))?;
    let key = xmlenc::unwrap_key(&own.key, &wrapped)?;

    let mut decrypted: Vec<Decrypted> = Vec::new();
    let list = only_child(encrypted_key, XENC_NS, "ReferenceList")?;
    for data_reference in children(list, XENC_NS, "DataReference") {
        let uri = data_reference.attribute("URI").unwrap_or("");
        let data = uri
            .strip_prefix('#')
            .and_then(|id| received.ids.get(id))
            .filter(|d| is(**d, XENC_NS, "EncryptedData"))
            .ok_or_else(|| policy(format!("no EncryptedData {uri:?}")))?;
        let algorithm = only_child(*data, XENC_NS, "EncryptionMethod")?
            .attribute("Algorithm")
            .unwrap_or("");
        if algorithm != AES128_GCM {
            return Err(policy(format!(
                "content encryption {algorithm:?} is not accepted; AES-128-GCM is required"
            )));
        }
        let cid = only_child(*data, XENC_NS, "CipherData")
            .and_then(|d| only_child(d, XENC_NS, "CipherReference"))?
            .attribute("URI")
            .and_then(|u| u.strip_prefix("cid:"))
            .ok_or_else(|| policy(format!("EncryptedData {uri} references no attachment")))?;
        let index = *cids
            .get(cid)
            .ok_or_else(|| policy(format!("the encrypted attachment {cid} is missing")))?;
        if decrypted.iter().any(|d| d.index == index) {
            return Err(policy(format!("attachment {cid} is encrypted twice")));
        }
        let attachment = attachments
            .get(index)
            .ok_or_else(|| policy(format!("the encrypted attachment {cid} is missing")))?;
        decrypted.push(Decrypted {
            index,
            bytes: xmlenc::decrypt_content(&key, &attachment.bytes)?,
            mime_type: data.attribute("MimeType").map(str::to_owned),
        });
    }
    if decrypted.len() != attachments.len() {
        return Err(policy("an attachment is not encrypted".to_owned()));
    }
    Ok(decrypted)
}

/// The certificate a BinarySecurityToken holds.
fn token_certificate(token: Node<'_, '_>) -> Result<Certificate, SecurityError> {
    if token.attribute("ValueType") != Some(X509V3) {
        return Err(SecurityError::Policy(
            "the security token is not an X.509 v3 certificate".to_owned(),
        ));
    }
    let der = token
        .text()
        .and_then(base64_decode)
        .ok_or_else(|| SecurityError::Policy("the security token is not base64".to_owned()))?;
    Certificate::from_der(&der).map_err(|e| SecurityError::Authentication(e.to_string()))
}

/// Every element with an `Id` attribute (wsu:Id, or Id in any other namespace or none, as
/// XML Signature and Encryption use), by Id. A repeated Id would let a signature cover one
/// element while the receiver reads another, so it breaks the policy.
fn index_ids<'a>(doc: &'a Document<'a>) -> Result<HashMap<&'a str, Node<'a, 'a>>, SecurityError> {
    let mut ids = HashMap::new();
    for node in doc.descendants().filter(|n| n.is_element()) {
        for attribute in node.attributes().filter(|a| a.name() == "Id") {
            if ids.insert(attribute.value(), node).is_some() {
                return Err(SecurityError::Policy(format!(
                    "the Id {} occurs twice",
                    attribute.value()
                )));
            }
        }
    }
    Ok(ids)
}
