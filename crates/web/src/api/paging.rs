//! The shapes of list answers. Every list is an object with `items`, so a list can gain
//! fields (or paging) without breaking clients:
//! - the organisations overview is paged by number ([`hub::organisation::Page`]);
//! - wallet transactions and the audit log are read newest first with a cursor
//!   ([`CursorPage`]);
//! - the per-environment lists that stay small (users, requests, partnerships, prices,
//!   "Paid by") come whole ([`List`]).

use serde::{Deserialize, Serialize};

/// A whole list.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct List<T> {
    /// Every item.
    pub items: Vec<T>,
}

impl<T> From<Vec<T>> for List<T> {
    fn from(items: Vec<T>) -> Self {
        List { items }
    }
}

/// One page of a list read newest first.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CursorPage<T> {
    /// Up to `limit` items, newest first.
    pub items: Vec<T>,
    /// Pass this as `before` to read the next, older page; `null` on the last page.
    pub next: Option<i64>,
}

/// Where a cursor-paged list starts and how much of it to read.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Cursor {
    /// Only items older than this cursor: the `next` of the page before. Leave out for the
    /// newest page.
    pub before: Option<i64>,
    /// Items per page, 1 to 200; 50 when left out.
    pub limit: Option<u64>,
}

impl Cursor {
    /// The page size asked for, within its bounds.
    pub fn limit(&self) -> u64 {
        self.limit.unwrap_or(50).clamp(1, 200)
    }

    /// A page of `items` read with this cursor. A full page may have more behind it, so it
    /// gets a `next` cursor (the last item's); a short page is the last.
    pub fn page<T>(&self, items: Vec<T>, cursor_of: impl Fn(&T) -> i64) -> CursorPage<T> {
        let full = u64::try_from(items.len()).is_ok_and(|n| n == self.limit());
        let next = if full {
            items.last().map(cursor_of)
        } else {
            None
        };
        CursorPage { items, next }
    }
}
