//! A rustls or webpki error as a sentence: their `Display` prints Rust debug text
//! (`invalid peer certificate: Other(OtherError(CaUsedAsEndEntity))`), which a reader of
//! a report should not have to decode.

/// `e`, said in words; the variant name stays in parentheses for searching.
pub fn rustls_reason(e: &rustls::Error) -> String {
    match e {
        rustls::Error::InvalidCertificate(rustls::CertificateError::Other(other)) => {
            match other.0.downcast_ref::<webpki::Error>() {
                Some(w) => format!("invalid peer certificate: {}", webpki_reason(w)),
                None => format!("invalid peer certificate: {}", other.0),
            }
        }
        _ => e.to_string(),
    }
}

/// A webpki verdict in words, for the ones rustls passes through as `Other`.
pub fn webpki_reason(e: &webpki::Error) -> String {
    let said = match e {
        webpki::Error::CaUsedAsEndEntity => {
            "the server's certificate is a CA certificate, not one issued to a server"
        }
        webpki::Error::EndEntityUsedAsCa => "a server certificate signs another in the chain",
        _ => return format!("{e:?}"),
    };
    format!("{said} ({e:?})")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn a_ca_used_as_a_server_certificate_reads_as_words() {
        let e = rustls::Error::InvalidCertificate(rustls::CertificateError::Other(
            rustls::OtherError(Arc::new(webpki::Error::CaUsedAsEndEntity)),
        ));
        let text = rustls_reason(&e);
        assert_eq!(
            text,
            "invalid peer certificate: the server's certificate is a CA certificate, not one \
             issued to a server (CaUsedAsEndEntity)"
        );
        assert!(!text.contains("OtherError"));
    }
}
