//! Sign-up, login, logout and the language switch.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use hub::environment::SignUp;
use hub::user::Session;
use serde::Deserialize;

use super::form::{Anonymous, Filled, NoFields, Posted, safe_next};
use super::layout::{Ctx, Layout, Nav, render};
use crate::auth;
use crate::error::{PageError, status_of, url_encode};
use crate::i18n::{self, Messages};
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/signup", get(signup_page).post(signup))
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
        .route("/language", get(language))
}

/// The sign-up form's values; the password is never shown again.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct SignupForm {
    pub environment_name: String,
    pub name: String,
    pub email: String,
    pub password: String,
    pub next: String,
}

#[derive(Template)]
#[template(path = "signup.html")]
struct SignupPage {
    page: Layout,
    t: &'static Messages,
    signup: Filled<SignupForm>,
    login_href: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
struct LoginForm {
    email: String,
    password: String,
    next: String,
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    page: Layout,
    t: &'static Messages,
    form: Filled<LoginForm>,
    signup_href: String,
}

#[derive(Deserialize)]
struct Next {
    #[serde(default)]
    next: String,
}

async fn signup_page(ctx: Ctx, Query(q): Query<Next>) -> Response {
    let next = safe_next(&q.next).to_owned();
    let page = SignupPage {
        page: ctx.layout(None, Nav::Elsewhere),
        t: ctx.texts(None),
        login_href: login_href(&next),
        signup: Filled::new(
            "signup",
            SignupForm {
                next,
                ..SignupForm::default()
            },
        ),
    };
    render(StatusCode::OK, &page)
}

async fn signup(
    State(state): State<AppState>,
    ctx: Ctx,
    Anonymous(form): Anonymous<SignupForm>,
) -> Response {
    let next = safe_next(&form.next).to_owned();
    let request = SignUp {
        environment_name: form.environment_name.clone(),
        name: form.name.clone(),
        email: form.email.clone(),
        password: form.password.clone(),
        locale: Some(ctx.lang(None).code().to_owned()),
    };
    match state.hub.sign_up(request).await {
        Ok((_, session)) => logged_in(
            &state,
            &session,
            if next == "/" {
                "/?notice=welcome"
            } else {
                &next
            },
        ),
        Err(e) => {
            let page = SignupPage {
                page: ctx.layout_at(None, Nav::Elsewhere, "/signup"),
                t: ctx.texts(None),
                login_href: login_href(&next),
                signup: Filled::refused(
                    "signup",
                    SignupForm {
                        password: String::new(),
                        next,
                        ..form
                    },
                    &e,
                ),
            };
            render(status_of(&e), &page)
        }
    }
}

fn login_href(next: &str) -> String {
    format!("/login?next={}", url_encode(next))
}

fn signup_href(next: &str) -> String {
    format!("/signup?next={}", url_encode(next))
}

async fn login_page(ctx: Ctx, Query(q): Query<Next>) -> Response {
    let next = safe_next(&q.next).to_owned();
    let page = LoginPage {
        page: ctx.layout(None, Nav::Elsewhere),
        t: ctx.texts(None),
        signup_href: signup_href(&next),
        form: Filled::new(
            "login",
            LoginForm {
                next,
                ..LoginForm::default()
            },
        ),
    };
    render(StatusCode::OK, &page)
}

async fn login(
    State(state): State<AppState>,
    ctx: Ctx,
    Anonymous(form): Anonymous<LoginForm>,
) -> Response {
    let next = safe_next(&form.next).to_owned();
    // Failures count per account, so guessing one account's password is slowed down
    // without letting anyone lock out everybody else.
    let key = format!("login:{}", form.email.trim().to_lowercase());
    let attempt = match state.limiter.check(&key) {
        Ok(()) => state.hub.login(&form.email, &form.password).await,
        Err(e) => Err(e),
    };
    match attempt {
        Ok((_, session)) => {
            state.limiter.succeeded(&key);
            logged_in(&state, &session, &next)
        }
        Err(e) => {
            if matches!(e, hub::Error::Unauthenticated) {
                state.limiter.failed(&key);
            }
            let t = ctx.texts(None);
            let mut refused = Filled::refused(
                "login",
                LoginForm {
                    password: String::new(),
                    next: next.clone(),
                    ..form
                },
                &e,
            );
            if let (hub::Error::Unauthenticated, Some(problem)) = (&e, refused.problem.as_mut()) {
                problem.message = t.login_failed.to_owned();
            }
            let page = LoginPage {
                page: ctx.layout_at(None, Nav::Elsewhere, "/login"),
                t,
                signup_href: signup_href(&next),
                form: refused,
            };
            render(status_of(&e), &page)
        }
    }
}

/// Sets the session cookie and goes on to `to`.
pub(super) fn logged_in(state: &AppState, session: &Session, to: &str) -> Response {
    let max_age = (session.expires_at - state.hub.clock().now())
        .num_seconds()
        .max(0);
    let cookie = auth::session_cookie(&session.token, max_age, state.secure_cookies);
    let mut response = Redirect::to(to).into_response();
    match HeaderValue::from_str(&cookie) {
        Ok(value) => {
            response.headers_mut().insert(header::SET_COOKIE, value);
            response
        }
        Err(_) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "the session cookie could not be set",
        )
            .into_response(),
    }
}

async fn logout(
    State(state): State<AppState>,
    posted: Posted<NoFields>,
) -> Result<Response, PageError> {
    state.hub.logout(&posted.user.token).await?;
    let mut response = Redirect::to("/login").into_response();
    if let Ok(value) = HeaderValue::from_str(&auth::clear_cookie()) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    Ok(response)
}

#[derive(Deserialize)]
struct Switch {
    #[serde(default)]
    to: String,
    #[serde(default)]
    back: String,
}

/// Remembers the chosen language for a year and goes back to the page it was chosen on.
/// A plain link, so it works for visitors without a session and without a script.
async fn language(Query(q): Query<Switch>) -> Response {
    let lang = i18n::Lang::parse(&q.to);
    let cookie = format!(
        "{}={}; Path=/; SameSite=Lax; Max-Age=31536000",
        i18n::COOKIE,
        lang.code()
    );
    let mut response = Redirect::to(safe_next(&q.back)).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}
