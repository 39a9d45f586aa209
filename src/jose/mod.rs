//! A small JOSE layer: reads and writes JWTs in compact form as plain JSON maps, so
//! authspec can build what jsonwebtoken refuses to (`alg: none`, stripped or corrupted
//! signatures, edited headers such as `kid`, `jku`, `x5u`, `jwk`). Signatures are still
//! made by jsonwebtoken (`sign`).

mod jwt;
mod signing_key;

pub use jwt::{Jwt, b64, unb64};
pub use signing_key::SigningKey;
