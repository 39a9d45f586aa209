//! How a reference is written: `${kind:arg}` (the braces may be the full-width look-alikes
//! the YAML front end writes inside flow collections), `$${` for a literal `${`, and the
//! errors of a reference that is malformed or does not resolve. Resolution is in
//! `reference`.

#[derive(Debug, PartialEq, Eq)]
pub enum Reference<'a> {
    Env(&'a str),
    File(&'a str),
    Demo(&'a str),
    /// A secret made up for this run (for a SUT that authspec starts and also calls).
    Random(&'a str),
    /// What a `secrets:` command prints.
    Secret(&'a str),
}

#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
pub enum ReferenceError {
    #[error("unknown reference kind `{0}`")]
    UnknownKind(String),
    #[error("empty reference `{0}`")]
    Empty(String),
    #[error("a `${{` is not closed with `}}`: `{0}`")]
    Unclosed(String),
    #[error("environment variable {0} is not set")]
    MissingEnv(String),
    #[error("cannot read secret file {path}: {reason}")]
    File { path: String, reason: String },
    #[error("the demo target has no credential `{0}`")]
    UnknownDemo(String),
    #[error("the system gave no random bytes for a `${{random:…}}` secret")]
    NoRandomness,
    #[error("no secret `{name}` is defined under `secrets:`")]
    UnknownSecret { name: String, known: Vec<String> },
    /// The command that prints the secret failed; `reason` says how (its stderr included).
    #[error("the command of secret `{name}` (`{command}`) {reason}")]
    SecretCommand {
        name: String,
        command: String,
        reason: String,
    },
}

/// Parses a whole value that is exactly one reference. `None` when the value is not a
/// reference at all (a literal).
pub fn parse_whole(value: &str) -> Option<Result<Reference<'_>, ReferenceError>> {
    let v = value.trim();
    let (start, open) = next_reference(v)?;
    let inner = &v[open..];
    let (end, close) = closing(inner)?;
    if start != 0 || end + close != inner.len() || next_reference(inner).is_some() {
        return None;
    }
    Some(parse_inner(&inner[..end]))
}

/// Whether `text` holds anything written as a reference (resolvable or not, escaped
/// ones apart).
pub fn mentions_reference(text: &str) -> bool {
    match pieces(text) {
        Err(_) => true,
        Ok(p) => p.iter().any(|p| matches!(p, Piece::Ref(_))),
    }
}

/// The full-width braces the YAML front end writes for a reference's `{` and `}` inside
/// a flow collection, where plain braces would not parse; a reference may use them.
pub const WIDE_OPEN: char = '\u{FF5B}';
pub const WIDE_CLOSE: char = '\u{FF5D}';

/// `$` and the full-width `{`.
const FLOW_OPEN: &str = "$\u{FF5B}";

/// Where the next `${` starts and where its name begins (the brace may be the full-width
/// look-alike).
fn next_reference(text: &str) -> Option<(usize, usize)> {
    let plain = text.find("${").map(|i| (i, i + 2));
    let wide = text.find(FLOW_OPEN).map(|i| (i, i + FLOW_OPEN.len()));
    match (plain, wide) {
        (Some(a), Some(b)) => Some(if a.0 < b.0 { a } else { b }),
        (a, b) => a.or(b),
    }
}

/// Where the closing brace is, and its length in bytes.
fn closing(after: &str) -> Option<(usize, usize)> {
    after
        .find(['}', WIDE_CLOSE])
        .map(|i| (i, after[i..].chars().next().map_or(1, char::len_utf8)))
}

/// A text cut into literal parts and references.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Piece<'a> {
    Text(&'a str),
    /// The inside of a reference, between its braces.
    Ref(&'a str),
}

/// The pieces of `text`; `$${…}` is the literal text `${…}`. A `${` without its `}` is
/// an error: it would otherwise be sent as written.
pub(super) fn pieces(text: &str) -> Result<Vec<Piece<'_>>, ReferenceError> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some((start, open)) = next_reference(rest) {
        let after = &rest[open..];
        if rest[..start].ends_with('$') {
            out.push(Piece::Text(&rest[..start - 1]));
            out.push(Piece::Text("${"));
            match closing(after) {
                Some((end, close)) => {
                    out.push(Piece::Text(&after[..end]));
                    out.push(Piece::Text("}"));
                    rest = &after[end + close..];
                }
                None => rest = after,
            }
            continue;
        }
        out.push(Piece::Text(&rest[..start]));
        let Some((end, close)) = closing(after) else {
            let shown: String = rest[start..].chars().take(40).collect();
            return Err(ReferenceError::Unclosed(shown));
        };
        out.push(Piece::Ref(&after[..end]));
        rest = &after[end + close..];
    }
    out.push(Piece::Text(rest));
    Ok(out)
}

pub(super) fn parse_inner(inner: &str) -> Result<Reference<'_>, ReferenceError> {
    let (kind, arg) = inner
        .split_once(':')
        .ok_or_else(|| ReferenceError::UnknownKind(inner.to_string()))?;
    let arg = arg.trim();
    if arg.is_empty() {
        return Err(ReferenceError::Empty(format!("${{{inner}}}")));
    }
    match kind.trim() {
        "env" => Ok(Reference::Env(arg)),
        "file" => Ok(Reference::File(arg)),
        "demo" => Ok(Reference::Demo(arg)),
        "random" => Ok(Reference::Random(arg)),
        "secret" => Ok(Reference::Secret(arg)),
        other => Err(ReferenceError::UnknownKind(other.to_string())),
    }
}
