//! Obtaining credentials at run time: from auth servers (OAuth 2.0), or by a role's
//! own login request.

pub mod login;
pub mod oauth;
