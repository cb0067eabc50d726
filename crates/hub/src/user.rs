//! Users: passwords, login sessions with CSRF tokens, invitations, roles and rights.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};

use crate::audit::{self, Event};
use crate::entity::{invitation, organisation_right, session, user};
use crate::error::{Error, Result};
use crate::mail::Mail;
use crate::principal::{Principal, Role, UserPrincipal};
use crate::{Hub, access, secret};

/// A user as listed to their administrators.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct User {
    /// Id.
    pub id: i64,
    /// Login email address.
    pub email: String,
    /// Name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// `nl` or `en`.
    pub locale: String,
}

impl From<user::Model> for User {
    fn from(m: user::Model) -> Self {
        User {
            id: m.id,
            role: Role::parse(&m.role).unwrap_or(Role::Basic),
            email: m.email,
            name: m.name,
            locale: m.locale,
        }
    }
}

/// A login session: the cookie token (shown once, stored hashed) and its CSRF token.
#[derive(Clone, Debug)]
pub struct Session {
    /// The cookie value.
    pub token: String,
    /// The token forms must echo.
    pub csrf: String,
    /// When it ends.
    pub expires_at: DateTime<Utc>,
}

/// A session looked up by its cookie.
#[derive(Clone, Debug)]
pub struct ActiveSession {
    /// Who is logged in.
    pub principal: UserPrincipal,
    /// The CSRF token forms must echo.
    pub csrf: String,
    /// The user's details.
    pub user: User,
}

/// An invitation to join an environment.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
pub struct Invite {
    /// Whom to invite.
    pub email: String,
    /// Their role.
    pub role: Role,
}

/// What accepting an invitation asks for.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
pub struct AcceptInvitation {
    /// The token from the mailed link.
    pub token: String,
    /// The new user's name.
    pub name: String,
    /// Their password.
    pub password: String,
}

/// Lowercases and checks an email address.
pub(crate) fn normalise_email(email: &str) -> Result<String> {
    let email = email.trim().to_lowercase();
    let valid = email.len() <= 254
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        })
        && !email
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>' || c == ',');
    if valid {
        Ok(email)
    } else {
        Err(Error::invalid(
            "email",
            "give an email address such as name@example.nl",
        ))
    }
}

/// Checks a person's name.
pub(crate) fn person_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(Error::invalid("name", "give a name (1 to 200 characters)"));
    }
    Ok(name.to_owned())
}

/// The locale to store: `nl` or `en` (Dutch unless English is asked for).
pub(crate) fn locale(asked: Option<&str>) -> &'static str {
    match asked {
        Some("en") => "en",
        _ => "nl",
    }
}

/// Hashes a password with argon2id (off the async threads: it is slow on purpose).
pub(crate) async fn hash_password(password: String) -> Result<String> {
    if password.chars().count() < 10 {
        return Err(Error::invalid("password", "use at least 10 characters"));
    }
    if password.len() > 1024 {
        return Err(Error::invalid("password", "use at most 1024 bytes"));
    }
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut rand::rngs::OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| Error::invalid("password", e.to_string()))
    })
    .await
    .map_err(|_| Error::invalid("password", "could not be hashed"))?
}

/// Whether `password` matches the stored argon2 hash.
async fn password_matches(password: String, stored: String) -> bool {
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&stored)
            .map(|hash| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &hash)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false)
}

/// Whether a user with this (normalised) email exists.
pub(crate) async fn email_taken<C: ConnectionTrait>(db: &C, email: &str) -> Result<bool> {
    Ok(user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .count(db)
        .await?
        > 0)
}

/// Opens a session for `u`.
pub(crate) async fn open_session<C: ConnectionTrait>(
    db: &C,
    hub: &Hub,
    u: &UserPrincipal,
) -> Result<Session> {
    let token = secret::token();
    let csrf = secret::token();
    let now = hub.clock.now();
    let expires_at = now + hub.config.session_ttl;
    // Expired sessions are removed as their owner logs in again, so the table stays small
    // without a sweeper.
    session::Entity::delete_many()
        .filter(session::Column::UserId.eq(u.user_id))
        .filter(session::Column::ExpiresAt.lte(now))
        .exec(db)
        .await?;
    session::ActiveModel {
        environment_id: Set(u.environment_id),
        user_id: Set(u.user_id),
        token_hash: Set(secret::token_hash(&token)),
        csrf_token: Set(csrf.clone()),
        created_at: Set(now),
        expires_at: Set(expires_at),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(Session {
        token,
        csrf,
        expires_at,
    })
}

fn principal_of(m: &user::Model) -> UserPrincipal {
    UserPrincipal {
        user_id: m.id,
        environment_id: m.environment_id,
        role: Role::parse(&m.role).unwrap_or(Role::Basic),
    }
}

impl Hub {
    /// Logs in with email and password. A wrong email and a wrong password get the same
    /// answer, so the form does not reveal who has an account.
    pub async fn login(&self, email: &str, password: &str) -> Result<(UserPrincipal, Session)> {
        let email = email.trim().to_lowercase();
        let found = user::Entity::find()
            .filter(user::Column::Email.eq(&email))
            .one(&self.db)
            .await?;
        // Verify against a dummy hash when the user is unknown, so both cases take as long.
        let stored = found
            .as_ref()
            .map_or_else(|| DUMMY_HASH.to_owned(), |u| u.password_hash.clone());
        let ok = password_matches(password.to_owned(), stored).await;
        let Some(u) = found.filter(|_| ok) else {
            return Err(Error::Unauthenticated);
        };
        let principal = principal_of(&u);
        let txn = self.write().await?;
        let session = open_session(&txn, self, &principal).await?;
        audit::lock(&txn, u.environment_id).await?;
        audit::record(
            &txn,
            self.clock.now(),
            Event {
                environment_id: u.environment_id,
                actor: Principal::User(principal.clone()).actor(),
                action: "user.logged_in",
                subject: format!("user:{}", u.id),
                details: serde_json::json!({}),
            },
        )
        .await?;
        txn.commit().await?;
        Ok((principal, session))
    }

    /// The session behind a cookie token, if it is valid.
    pub async fn session(&self, token: &str) -> Result<ActiveSession> {
        let found = session::Entity::find()
            .filter(session::Column::TokenHash.eq(secret::token_hash(token)))
            .one(&self.db)
            .await?
            .ok_or(Error::Unauthenticated)?;
        if found.expires_at <= self.clock.now() {
            return Err(Error::Unauthenticated);
        }
        let u = user::Entity::find_by_id(found.user_id)
            .one(&self.db)
            .await?
            .ok_or(Error::Unauthenticated)?;
        Ok(ActiveSession {
            principal: principal_of(&u),
            csrf: found.csrf_token,
            user: u.into(),
        })
    }

    /// Ends the session behind a cookie token.
    pub async fn logout(&self, token: &str) -> Result<()> {
        session::Entity::delete_many()
            .filter(session::Column::TokenHash.eq(secret::token_hash(token)))
            .exec(&self.db)
            .await?;
        Ok(())
    }

    /// The users of the acting user's environment.
    pub async fn users(&self, p: &Principal) -> Result<Vec<User>> {
        let u = access::user(p)?;
        Ok(user::Entity::find()
            .filter(user::Column::EnvironmentId.eq(u.environment_id))
            .order_by_asc(user::Column::Name)
            .all(&self.db)
            .await?
            .into_iter()
            .map(User::from)
            .collect())
    }

    /// Invites someone by email to the administrator's environment. Returns whether the mail
    /// went out.
    pub async fn invite(&self, p: &Principal, invite: Invite) -> Result<bool> {
        let admin = access::administrator(p)?;
        let email = normalise_email(&invite.email)?;
        let token = secret::token();
        let now = self.clock.now();
        let txn = self.write().await?;
        audit::lock(&txn, admin.environment_id).await?;
        if email_taken(&txn, &email).await? {
            return Err(Error::Conflict("this person already has an account".into()));
        }
        invitation::ActiveModel {
            environment_id: Set(admin.environment_id),
            email: Set(email.clone()),
            role: Set(invite.role.as_str().to_owned()),
            token_hash: Set(secret::token_hash(&token)),
            invited_by: Set(admin.user_id),
            expires_at: Set(now + self.config.invitation_ttl),
            accepted_at: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        audit::record(
            &txn,
            now,
            Event {
                environment_id: admin.environment_id,
                actor: p.actor(),
                action: "user.invited",
                subject: format!("email:{email}"),
                details: serde_json::json!({ "role": invite.role.as_str() }),
            },
        )
        .await?;
        txn.commit().await?;
        let env = self.environment(p).await?;
        Ok(self
            .send_mail(Mail {
                to: email,
                subject: format!(
                    "Uitnodiging voor {} op Postbode / Invitation to {} on Postbode",
                    env.name, env.name
                ),
                text: format!(
                    "U bent uitgenodigd voor {name} op Postbode. Maak uw account aan via:\n\
                     You have been invited to {name} on Postbode. Create your account here:\n\n\
                     {base}/invitation/{token}\n",
                    name = env.name,
                    base = self.config.base_url,
                ),
            })
            .await)
    }

    /// Accepts an invitation: creates the user and logs them in. The link works once.
    pub async fn accept_invitation(
        &self,
        form: AcceptInvitation,
    ) -> Result<(UserPrincipal, Session)> {
        let person = person_name(&form.name)?;
        let password_hash = hash_password(form.password).await?;
        let now = self.clock.now();
        let txn = self.write().await?;
        let inv = invitation::Entity::find()
            .filter(invitation::Column::TokenHash.eq(secret::token_hash(&form.token)))
            .one(&txn)
            .await?
            .ok_or(Error::NotFound("invitation"))?;
        audit::lock(&txn, inv.environment_id).await?;
        if inv.accepted_at.is_some() {
            return Err(Error::Gone(
                "this invitation was already used; log in instead".into(),
            ));
        }
        if inv.expires_at <= now {
            return Err(Error::Gone(
                "this invitation has expired; ask for a new one".into(),
            ));
        }
        // Claim the invitation first: a second, concurrent acceptance updates no row.
        let claimed = invitation::Entity::update_many()
            .col_expr(
                invitation::Column::AcceptedAt,
                sea_orm::sea_query::Expr::value(now),
            )
            .filter(invitation::Column::Id.eq(inv.id))
            .filter(invitation::Column::AcceptedAt.is_null())
            .exec(&txn)
            .await?;
        if claimed.rows_affected != 1 {
            return Err(Error::Gone(
                "this invitation was already used; log in instead".into(),
            ));
        }
        if email_taken(&txn, &inv.email).await? {
            return Err(Error::Conflict("this person already has an account".into()));
        }
        let role = Role::parse(&inv.role).unwrap_or(Role::Basic);
        let u = user::ActiveModel {
            environment_id: Set(inv.environment_id),
            email: Set(inv.email.clone()),
            name: Set(person),
            password_hash: Set(password_hash),
            role: Set(role.as_str().to_owned()),
            locale: Set("nl".to_owned()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let principal = principal_of(&u);
        audit::record(
            &txn,
            now,
            Event {
                environment_id: inv.environment_id,
                actor: Principal::User(principal.clone()).actor(),
                action: "user.joined",
                subject: format!("user:{}", u.id),
                details: serde_json::json!({ "email": inv.email, "role": role.as_str() }),
            },
        )
        .await?;
        let session = open_session(&txn, self, &principal).await?;
        txn.commit().await?;
        Ok((principal, session))
    }

    /// Changes a user's role. An administrator cannot demote themselves, so an environment
    /// always keeps one.
    pub async fn set_role(&self, p: &Principal, user_id: i64, role: Role) -> Result<User> {
        let admin = access::administrator(p)?;
        if user_id == admin.user_id && role != Role::Administrator {
            return Err(Error::Conflict(
                "you cannot take away your own administrator role".into(),
            ));
        }
        let txn = self.write().await?;
        audit::lock(&txn, admin.environment_id).await?;
        let target = user::Entity::find_by_id(user_id)
            .filter(user::Column::EnvironmentId.eq(admin.environment_id))
            .one(&txn)
            .await?
            .ok_or(Error::NotFound("user"))?;
        let from = target.role.clone();
        let mut active: user::ActiveModel = target.into();
        active.role = Set(role.as_str().to_owned());
        let updated = active.update(&txn).await?;
        audit::record(
            &txn,
            self.clock.now(),
            Event {
                environment_id: admin.environment_id,
                actor: p.actor(),
                action: "user.role_changed",
                subject: format!("user:{user_id}"),
                details: serde_json::json!({ "from": from, "to": role.as_str() }),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(updated.into())
    }

    /// The organisations a user has a right to, by id: what a basic user works on
    /// (administrators and advanced users reach every organisation whatever their rights).
    /// Administrators only; a user of another environment is not found.
    pub async fn rights(&self, p: &Principal, user_id: i64) -> Result<Vec<i64>> {
        let admin = access::administrator(p)?;
        user::Entity::find_by_id(user_id)
            .filter(user::Column::EnvironmentId.eq(admin.environment_id))
            .one(&self.db)
            .await?
            .ok_or(Error::NotFound("user"))?;
        Ok(organisation_right::Entity::find()
            .select_only()
            .column(organisation_right::Column::OrganisationId)
            .filter(organisation_right::Column::UserId.eq(user_id))
            .order_by_asc(organisation_right::Column::OrganisationId)
            .into_tuple()
            .all(&self.db)
            .await?)
    }

    /// Gives or takes a basic user's right to one organisation.
    pub async fn set_right(
        &self,
        p: &Principal,
        user_id: i64,
        organisation_id: i64,
        granted: bool,
    ) -> Result<()> {
        self.set_rights(p, user_id, &[(organisation_id, granted)])
            .await
    }

    /// Gives or takes a user's rights to several organisations, each `(organisation_id,
    /// granted)`, all in one transaction: an organisation out of reach refuses the lot.
    /// Only real changes are audited, one entry each.
    pub async fn set_rights(
        &self,
        p: &Principal,
        user_id: i64,
        changes: &[(i64, bool)],
    ) -> Result<()> {
        let admin = access::administrator(p)?;
        if changes.len() > MAX_RIGHT_CHANGES {
            return Err(Error::invalid(
                "rights",
                format!("change at most {MAX_RIGHT_CHANGES} rights at once"),
            ));
        }
        let txn = self.write().await?;
        audit::lock(&txn, admin.environment_id).await?;
        user::Entity::find_by_id(user_id)
            .filter(user::Column::EnvironmentId.eq(admin.environment_id))
            .one(&txn)
            .await?
            .ok_or(Error::NotFound("user"))?;
        let now = self.clock.now();
        for &(organisation_id, granted) in changes {
            access::organisation(&txn, p, organisation_id, access::Need::Manage).await?;
            let existing = organisation_right::Entity::find()
                .filter(organisation_right::Column::UserId.eq(user_id))
                .filter(organisation_right::Column::OrganisationId.eq(organisation_id))
                .one(&txn)
                .await?;
            match (granted, existing) {
                (true, None) => {
                    organisation_right::ActiveModel {
                        environment_id: Set(admin.environment_id),
                        user_id: Set(user_id),
                        organisation_id: Set(organisation_id),
                        ..Default::default()
                    }
                    .insert(&txn)
                    .await?;
                }
                (false, Some(right)) => {
                    organisation_right::Entity::delete_by_id(right.id)
                        .exec(&txn)
                        .await?;
                }
                _ => continue,
            }
            audit::record(
                &txn,
                now,
                Event {
                    environment_id: admin.environment_id,
                    actor: p.actor(),
                    action: if granted {
                        "user.right_granted"
                    } else {
                        "user.right_revoked"
                    },
                    subject: format!("user:{user_id}"),
                    details: serde_json::json!({ "organisation": organisation_id }),
                },
            )
            .await?;
        }
        txn.commit().await?;
        Ok(())
    }
}

/// The most rights one call changes: a page of the rights form holds at most 200
/// organisations, and the transaction holds the environment's lock meanwhile.
const MAX_RIGHT_CHANGES: usize = 200;

/// An argon2id hash of a random password, used to spend the same time on unknown emails.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Q8Qw0o7B3sZ7pXh0bq7m3K8q6hV0l8bJQe9m4y1YxkU";
