//! The OpenAPI 3.1 description of `/api/v1`, served at `/api/openapi.json`, and the docs page
//! that renders it at `/api/docs`.
//!
//! Each handler carries its own `#[utoipa::path]`; [`V1`] lists them. What every operation
//! shares (problem+json bodies, the refusals any request can meet, `Idempotency-Key`) is added
//! once by [`Conventions`] rather than repeated on each handler.

use axum::Router;
use axum::http::header;
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use utoipa::openapi::path::{Operation, ParameterBuilder, ParameterIn};
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, Http, HttpAuthScheme, SecurityRequirement, SecurityScheme,
};
use utoipa::openapi::{
    ContentBuilder, Header, HttpMethod, ObjectBuilder, Ref, Required, ResponseBuilder, Type,
};
use utoipa::{Modify, OpenApi};

use super::{
    audit, authorisations, documents, environments, organisations, partnerships, peppol, session,
    users, wallet,
};
use crate::error::Problem;
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/api/openapi.json", get(|| async { axum::Json(spec()) }))
        .route(
            "/api/docs",
            get(|| async {
                (
                    [(header::CACHE_CONTROL, "no-cache")],
                    Html(include_str!("docs.html")),
                )
                    .into_response()
            }),
        )
}

/// The whole description, as served.
pub fn spec() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Postbode REST API",
        description = "The REST API of a Postbode hub: environments, organisations (administrations), the five-step \
            authorisation flow, partnerships and connection keys, the credit wallet, users and the audit log.\n\n\
            Accounting packages call it with connection keys (HTTP Basic, App Key and Secret) for exactly one \
            organisation. People call it with the session cookie from `POST /api/v1/session`, and echo the \
            session's CSRF token in `X-CSRF-Token` on every request that is not a GET.\n\n\
            Every error is `application/problem+json` (RFC 9457) with a stable `code`. Lists are objects with \
            `items`: the organisations overview is paged by number (`page`, `per_page`, `total`), wallet \
            transactions and the audit log by cursor (`before`, `limit`, `next`). Every authenticated POST \
            accepts an `Idempotency-Key`.",
    ),
    nest((path = "/api/v1", api = V1)),
    modifiers(&Conventions),
    tags(
        (name = "session", description = "Logging in and out with email and password"),
        (name = "environment", description = "Signing up, and the subscription"),
        (name = "organisations", description = "Administrations: details, identifiers, aliases, status and budget"),
        (name = "authorisation", description = "Steps 1 to 4 of the intermediary flow: requests and activation links"),
        (name = "partnerships", description = "Step 5: partnerships and their connection keys"),
        (name = "wallet", description = "Credit, transactions, prices, \"Paid by\" and budget alerts"),
        (name = "users", description = "People, roles, rights and invitations"),
        (name = "audit", description = "The hash-chained audit log"),
        (name = "peppol", description = "Peppol per organisation: registration in the hub's SMP, health, migration keys"),
        (name = "documents", description = "Invoices and credit notes received or sent, with their original bytes"),
    ),
)]
struct ApiDoc;

/// Every operation of `/api/v1`, relative to it.
#[derive(OpenApi)]
#[openapi(
    paths(
        session::log_in,
        session::current_session,
        session::log_out,
        environments::sign_up,
        environments::show_environment,
        environments::set_tier,
        organisations::list_organisations,
        organisations::create_organisation,
        organisations::show_organisation,
        organisations::update_organisation,
        organisations::set_organisation_status,
        organisations::add_participant_id,
        organisations::remove_participant_id,
        organisations::add_email_alias,
        organisations::set_budget,
        authorisations::list_authorisation_requests,
        authorisations::request_authorisation,
        authorisations::show_authorisation_request,
        authorisations::resend_authorisation,
        authorisations::withdraw_authorisation,
        authorisations::show_activation,
        authorisations::decide_authorisation,
        partnerships::list_partnerships,
        partnerships::show_partnership,
        partnerships::release_keys,
        partnerships::revoke_partnership,
        wallet::show_wallet,
        wallet::list_transactions,
        wallet::list_prices,
        wallet::paid_by,
        wallet::list_alerts,
        wallet::resolve_alert,
        users::list_users,
        users::invite_user,
        users::accept_invitation,
        users::set_role,
        users::list_rights,
        users::set_right,
        audit::audit_log,
        peppol::enrol,
        peppol::health,
        peppol::deregister,
        peppol::migration_key,
        peppol::send_invoice,
        peppol::recipient,
        documents::list_documents,
        documents::document_original,
    ),
    components(schemas(Problem))
)]
struct V1;

/// What all operations share, added to each.
struct Conventions;

const PROBLEM: &str = "application/problem+json";
/// Why the CSRF check refuses; it joins the 403 of operations that describe one already.
const CSRF: &str = "with a session, the `X-CSRF-Token` header is missing or wrong";

impl Modify for Conventions {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        let components = api.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "connection_keys",
            SecurityScheme::Http(
                Http::builder()
                    .scheme(HttpAuthScheme::Basic)
                    .description(Some(
                        "Connection keys: the App Key as user name and the Secret as password. They reach exactly one \
                         organisation, within the partnership's scopes.",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::auth::COOKIE,
                "The session cookie set by `POST /api/v1/session`, sign-up or accepting an invitation.",
            ))),
        );
        components.add_security_scheme(
            "csrf",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-CSRF-Token",
                "The session's `csrf_token`, required with the session cookie on every request that is not a GET.",
            ))),
        );
        for item in api.paths.paths.values_mut() {
            for (method, operation) in [
                (HttpMethod::Get, &mut item.get),
                (HttpMethod::Post, &mut item.post),
                (HttpMethod::Put, &mut item.put),
                (HttpMethod::Delete, &mut item.delete),
            ] {
                if let Some(operation) = operation {
                    conventions(method, operation);
                }
            }
        }
    }
}

/// Adds the shared refusals, problem+json bodies and the idempotency header to one operation.
fn conventions(method: HttpMethod, operation: &mut Operation) {
    let requirements = operation.security.as_deref().unwrap_or_default();
    let secured = !requirements.is_empty();
    let by_keys = requirements.contains(&SecurityRequirement::new(
        "connection_keys",
        Vec::<String>::new(),
    ));
    let has_input = operation.request_body.is_some()
        || operation.parameters.as_ref().is_some_and(|p| !p.is_empty());
    let too_large = format!("The body is larger than {} bytes", crate::MAX_BODY);
    let mut refusals: Vec<(&str, &str)> = Vec::new();
    if has_input {
        refusals.push(("400", "The request does not parse: malformed JSON, or a path or query parameter of the wrong type"));
    }
    if secured {
        refusals.push((
            "401",
            "No credentials, or ones that do not hold; `WWW-Authenticate` names the Basic scheme",
        ));
    }
    if by_keys {
        refusals.push((
            "410",
            "The connection keys were revoked, rotated or have expired",
        ));
        refusals.push(("429", "Too many failed attempts with these connection keys"));
    }
    if operation.request_body.is_some() {
        refusals.push(("413", &too_large));
        refusals.push(("415", "The body is not sent as `application/json`"));
        refusals.push((
            "422",
            "The JSON does not fit the schema, or a field is invalid (see `field`)",
        ));
    }
    if secured && method == HttpMethod::Post {
        refusals.push(("409", "The `Idempotency-Key` was used for another request, or its first request is still running"));
        operation.parameters.get_or_insert_with(Vec::new).push(
            ParameterBuilder::new()
                .name("Idempotency-Key")
                .parameter_in(ParameterIn::Header)
                .required(Required::False)
                .description(Some(
                    "Any unique string (1 to 255 characters), e.g. a UUID. A retry with the same key and body gets the \
                     first answer again, with `Idempotent-Replayed: true`, and does not act twice.",
                ))
                .schema(Some(ObjectBuilder::new().schema_type(Type::String).min_length(Some(1)).max_length(Some(255))))
                .build()
                .into(),
        );
    }
    if secured && method != HttpMethod::Get {
        refusals.push(("403", CSRF));
    }
    let responses = &mut operation.responses.responses;
    for (status, description) in refusals {
        match responses.get_mut(status) {
            // A refusal the handler describes already; the CSRF check can refuse too.
            Some(utoipa::openapi::RefOr::T(known)) if description == CSRF => {
                known.description = format!("{}; or, {CSRF}", known.description);
            }
            Some(_) => {}
            None => {
                let mut chars = description.chars();
                let sentence: String = chars
                    .next()
                    .into_iter()
                    .flat_map(char::to_uppercase)
                    .chain(chars)
                    .collect();
                responses.insert(
                    status.to_owned(),
                    ResponseBuilder::new().description(sentence).build().into(),
                );
            }
        }
    }
    for (status, response) in &mut operation.responses.responses {
        let utoipa::openapi::RefOr::T(response) = response else {
            continue;
        };
        if status.starts_with(['4', '5']) && response.content.is_empty() {
            response.content.insert(
                PROBLEM.to_owned(),
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("Problem")))
                    .build()
                    .into(),
            );
        }
        if status.starts_with('2') && secured && method == HttpMethod::Post {
            let mut replayed = Header::new(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .enum_values(Some(["true"])),
            );
            replayed.description = Some("`true` when this is the stored answer to an earlier request with the same `Idempotency-Key`".into());
            response
                .headers
                .insert("Idempotent-Replayed".to_owned(), replayed.into());
        }
    }
}
