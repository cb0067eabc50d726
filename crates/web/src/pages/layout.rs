//! What every page shares: the language, the bar with the navigation, the notice after a
//! redirect, and the headers every HTML answer carries.

use std::convert::Infallible;

use askama::Template;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Response};
use hub::Role;

use crate::auth::SessionUser;
use crate::error::url_encode;
use crate::i18n::{Lang, Messages};

/// Where a page sits in the navigation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Nav {
    Home,
    Authorisations,
    Partnerships,
    Wallet,
    Users,
    Audit,
    Subscription,
    /// Pages outside the menu (login, the acceptance page, a connection key result).
    Elsewhere,
}

/// One link in the menu.
pub(crate) struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub current: bool,
}

/// The logged-in person, as the bar shows them.
pub(crate) struct Bar {
    pub name: String,
    pub csrf: String,
}

/// The shared part of every page; templates reach it as `page`.
pub(crate) struct Layout {
    pub lang: Lang,
    pub other: Lang,
    pub user: Option<Bar>,
    /// The session's CSRF token for forms, empty when nobody is logged in.
    pub csrf: String,
    pub nav: Vec<NavItem>,
    /// The language switch, coming back to this page.
    pub switch_href: String,
    pub notice: Option<&'static str>,
    pub stylesheet: &'static str,
    pub script: &'static str,
}

/// The request as a page needs it: its headers (for the language) and its address.
pub(crate) struct Ctx {
    headers: HeaderMap,
    uri: Uri,
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Ctx {
            headers: parts.headers.clone(),
            uri: parts.uri.clone(),
        })
    }
}

impl Ctx {
    /// The language for this visitor.
    pub fn lang(&self, user: Option<&SessionUser>) -> Lang {
        Lang::of(&self.headers, user.map(|u| u.session.user.locale.as_str()))
    }

    /// The texts for this visitor.
    pub fn texts(&self, user: Option<&SessionUser>) -> &'static Messages {
        self.lang(user).messages()
    }

    /// The layout of the page at the requested address.
    pub fn layout(&self, user: Option<&SessionUser>, nav: Nav) -> Layout {
        let here = self.uri.path_and_query().map_or("/", |p| p.as_str());
        self.layout_at(user, nav, here)
    }

    /// The layout of the page whose own (GET) address is `here`, e.g. when a refused form
    /// is shown again at the address it was posted to.
    pub fn layout_at(&self, user: Option<&SessionUser>, nav: Nav, here: &str) -> Layout {
        let lang = self.lang(user);
        let t = lang.messages();
        let notice = self
            .uri
            .query()
            .unwrap_or("")
            .split('&')
            .find_map(|pair| pair.strip_prefix("notice="))
            .and_then(|key| t.notice(key));
        let other = lang.other();
        Layout {
            lang,
            other,
            user: user.map(|u| Bar {
                name: u.session.user.name.clone(),
                csrf: u.session.csrf.clone(),
            }),
            csrf: user.map(|u| u.session.csrf.clone()).unwrap_or_default(),
            nav: user
                .map(|u| menu(t, u.session.principal.role, nav))
                .unwrap_or_default(),
            switch_href: format!(
                "/language?to={}&back={}",
                other.code(),
                url_encode(&without_notice(here))
            ),
            notice,
            stylesheet: super::assets::stylesheet(),
            script: super::assets::script(),
        }
    }
}

/// `here` without the one-time notice, so switching the language does not show it again.
fn without_notice(here: &str) -> String {
    let Some((path, query)) = here.split_once('?') else {
        return here.to_owned();
    };
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| !pair.starts_with("notice="))
        .collect();
    if kept.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", kept.join("&"))
    }
}

fn menu(t: &Messages, role: Role, current: Nav) -> Vec<NavItem> {
    let mut items = vec![
        (Nav::Home, "/", t.nav_home),
        (Nav::Authorisations, "/authorisations", t.nav_authorisations),
        (Nav::Partnerships, "/partnerships", t.nav_partnerships),
        (Nav::Wallet, "/wallet", t.nav_wallet),
        (Nav::Users, "/users", t.nav_users),
    ];
    if role == Role::Administrator {
        items.push((Nav::Audit, "/audit", t.nav_audit));
    }
    items.push((
        Nav::Subscription,
        "/settings/subscription",
        t.nav_subscription,
    ));
    items
        .into_iter()
        .map(|(nav, href, label)| NavItem {
            href,
            label,
            current: nav == current,
        })
        .collect()
}

/// Renders a page with `status` and the headers every page carries: a content security
/// policy that allows only this hub's own assets (so no injected script runs and no page
/// can be framed), and no referrer beyond this hub (activation links carry a token).
pub(crate) fn render(status: StatusCode, page: &impl Template) -> Response {
    match page.render() {
        Ok(html) => {
            let mut response = (status, Html(html)).into_response();
            let headers = response.headers_mut();
            headers.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(
                    "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
                ),
            );
            headers.insert(
                header::REFERRER_POLICY,
                HeaderValue::from_static("same-origin"),
            );
            headers.insert(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            );
            response
        }
        Err(e) => {
            tracing::error!(error = %e, "a page failed to render");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal error; it has been logged",
            )
                .into_response()
        }
    }
}

/// Renders a page with status 200.
pub(crate) fn ok(page: &impl Template) -> Response {
    render(StatusCode::OK, page)
}

/// Renders a page that shows why an action was refused with the refusal's status, or
/// with 200 when nothing was refused.
pub(crate) fn answer_with(refused: Option<&hub::Error>, page: &impl Template) -> Response {
    match refused {
        Some(e) => render(crate::error::status_of(e), page),
        None => ok(page),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_language_switch_comes_back_without_the_notice() {
        assert_eq!(without_notice("/users?notice=saved"), "/users");
        assert_eq!(
            without_notice("/?q=a&notice=welcome&page=2"),
            "/?q=a&page=2"
        );
        assert_eq!(without_notice("/wallet"), "/wallet");
    }

    #[test]
    fn the_audit_log_is_in_the_menu_of_administrators_only() {
        let hrefs = |role| {
            menu(&crate::i18n::EN, role, Nav::Home)
                .into_iter()
                .map(|i| i.href)
                .collect::<Vec<_>>()
        };
        assert!(hrefs(Role::Administrator).contains(&"/audit"));
        assert!(!hrefs(Role::Advanced).contains(&"/audit"));
        let current: Vec<_> = menu(&crate::i18n::EN, Role::Basic, Nav::Wallet)
            .into_iter()
            .filter(|i| i.current)
            .map(|i| i.href)
            .collect();
        assert_eq!(current, ["/wallet"]);
    }
}
