//! Dutch and English. The language comes from the `lang` cookie, else the browser's
//! `Accept-Language`, else the user's stored locale; Dutch is the default.

use axum::http::HeaderMap;

/// A language the UI speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    /// Nederlands.
    Nl,
    /// English.
    En,
}

impl Lang {
    /// The language for a request.
    pub fn of(headers: &HeaderMap, stored: Option<&str>) -> Lang {
        if let Some(lang) = crate::auth::cookie(headers, "lang") {
            return Lang::parse(lang);
        }
        if let Some(stored) = stored {
            return Lang::parse(stored);
        }
        let accept = headers
            .get(axum::http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let first = accept.split(',').next().unwrap_or("").trim().to_ascii_lowercase();
        if first.starts_with("en") { Lang::En } else { Lang::Nl }
    }

    /// `en` is English, anything else Dutch.
    pub fn parse(s: &str) -> Lang {
        if s == "en" { Lang::En } else { Lang::Nl }
    }

    /// The BCP 47 tag, for `<html lang>`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }
}
