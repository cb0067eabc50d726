//! The stylesheet and the script, embedded in the binary and served under addresses that
//! carry a hash of their content. A changed file gets a new address, so browsers may keep
//! each version for a year without ever using a stale one.

use std::sync::LazyLock;

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::state::AppState;

const CSS: &str = include_str!("../../assets/app.css");
const JS: &str = include_str!("../../assets/app.js");

/// FNV-1a over `bytes`: not cryptographic, only a fingerprint that changes with the content.
const fn fingerprint(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut i = 0;
    while i < bytes.len() {
        hash ^= bytes[i] as u64;
        hash = hash.wrapping_mul(0x0100_0000_01b3);
        i += 1;
    }
    hash
}

static CSS_PATH: LazyLock<String> =
    LazyLock::new(|| format!("/assets/app.{:016x}.css", fingerprint(CSS.as_bytes())));
static JS_PATH: LazyLock<String> =
    LazyLock::new(|| format!("/assets/app.{:016x}.js", fingerprint(JS.as_bytes())));

/// The stylesheet's address.
pub(crate) fn stylesheet() -> &'static str {
    &CSS_PATH
}

/// The script's address.
pub(crate) fn script() -> &'static str {
    &JS_PATH
}

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/assets/{file}", get(asset))
}

async fn asset(Path(file): Path<String>) -> Response {
    let path = format!("/assets/{file}");
    let (body, kind) = if path == stylesheet() {
        (CSS, "text/css; charset=utf-8")
    } else if path == script() {
        (JS, "text/javascript; charset=utf-8")
    } else {
        return (StatusCode::NOT_FOUND, "no such asset").into_response();
    };
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_change_with_the_content() {
        assert_ne!(
            fingerprint(b"a { color: red }"),
            fingerprint(b"a { color: blue }")
        );
        assert!(stylesheet().starts_with("/assets/app.") && stylesheet().ends_with(".css"));
        assert!(script().ends_with(".js"));
    }
}
