//! ebMS 3.0 errors (Core Specification §6.7), as they travel back to a sender in an error
//! signal: a code, its short description, a category and a severity, with a detail that
//! says what was wrong with this message.

use std::fmt;

/// The ebMS error codes an access point answers with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// EBMS:0003: a header value contradicts another or the payload.
    ValueInconsistent,
    /// EBMS:0004: anything else; Peppol uses it with the detail `PEPPOL:NOT_SERVICED` for a
    /// receiver this access point does not serve, and for SBDH faults.
    Other,
    /// EBMS:0007: the MIME structure does not match the message.
    MimeInconsistency,
    /// EBMS:0009: the SOAP envelope or ebMS header is malformed.
    InvalidHeader,
    /// EBMS:0101: signature, digest or certificate check failed.
    FailedAuthentication,
    /// EBMS:0102: a payload could not be decrypted.
    FailedDecryption,
    /// EBMS:0103: the message does not follow the security policy.
    PolicyNoncompliance,
    /// EBMS:0202: the message was received but could not be delivered (our own fault).
    DeliveryFailure,
    /// EBMS:0303: a payload does not decompress.
    DecompressionFailure,
}

impl ErrorCode {
    /// Every code.
    pub const ALL: [ErrorCode; 9] = [
        ErrorCode::ValueInconsistent,
        ErrorCode::Other,
        ErrorCode::MimeInconsistency,
        ErrorCode::InvalidHeader,
        ErrorCode::FailedAuthentication,
        ErrorCode::FailedDecryption,
        ErrorCode::PolicyNoncompliance,
        ErrorCode::DeliveryFailure,
        ErrorCode::DecompressionFailure,
    ];

    /// The code as it appears in `errorCode`.
    pub fn code(self) -> &'static str {
        match self {
            ErrorCode::ValueInconsistent => "EBMS:0003",
            ErrorCode::Other => "EBMS:0004",
            ErrorCode::MimeInconsistency => "EBMS:0007",
            ErrorCode::InvalidHeader => "EBMS:0009",
            ErrorCode::FailedAuthentication => "EBMS:0101",
            ErrorCode::FailedDecryption => "EBMS:0102",
            ErrorCode::PolicyNoncompliance => "EBMS:0103",
            ErrorCode::DeliveryFailure => "EBMS:0202",
            ErrorCode::DecompressionFailure => "EBMS:0303",
        }
    }

    /// The code's `shortDescription`.
    pub fn short_description(self) -> &'static str {
        match self {
            ErrorCode::ValueInconsistent => "ValueInconsistent",
            ErrorCode::Other => "Other",
            ErrorCode::MimeInconsistency => "MimeInconsistency",
            ErrorCode::InvalidHeader => "InvalidHeader",
            ErrorCode::FailedAuthentication => "FailedAuthentication",
            ErrorCode::FailedDecryption => "FailedDecryption",
            ErrorCode::PolicyNoncompliance => "PolicyNoncompliance",
            ErrorCode::DeliveryFailure => "DeliveryFailure",
            ErrorCode::DecompressionFailure => "DecompressionFailure",
        }
    }

    /// The code's `category`.
    pub fn category(self) -> &'static str {
        match self {
            ErrorCode::ValueInconsistent | ErrorCode::Other => "Content",
            ErrorCode::MimeInconsistency | ErrorCode::InvalidHeader => "Unpackaging",
            ErrorCode::FailedAuthentication
            | ErrorCode::FailedDecryption
            | ErrorCode::PolicyNoncompliance => "Processing",
            ErrorCode::DeliveryFailure | ErrorCode::DecompressionFailure => "Communication",
        }
    }

    /// The code with this `errorCode` text, if it is one we know.
    pub fn from_code(code: &str) -> Option<ErrorCode> {
        ErrorCode::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// The `errorDetail` Peppol requires when the receiver is not served here (AS4 profile 2.x).
pub const NOT_SERVICED: &str = "PEPPOL:NOT_SERVICED";

/// Why a received message was refused: the code that goes back to the sender and what was
/// wrong, in words for the sender's operator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EbmsError {
    /// The ebMS error code.
    pub code: ErrorCode,
    /// What was wrong with this message.
    pub detail: String,
}

impl EbmsError {
    /// An error with `code` and `detail`.
    pub fn new(code: ErrorCode, detail: impl Into<String>) -> Self {
        EbmsError {
            code,
            detail: detail.into(),
        }
    }
}

impl fmt::Display for EbmsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}: {}",
            self.code.code(),
            self.code.short_description(),
            self.detail
        )
    }
}

impl std::error::Error for EbmsError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_back() {
        for code in ErrorCode::ALL {
            assert_eq!(ErrorCode::from_code(code.code()), Some(code));
        }
        assert_eq!(ErrorCode::from_code("EBMS:9999"), None);
    }
}
