//! The redactor's unit tests: what each kind of registered value masks, and where.
use super::*;

#[test]
fn replaces_every_occurrence_longest_first() {
    let r = Redactor::new();
    r.add("short", "fake-abc");
    r.add("long", "fake-abc-def");
    let out = r.redact("a fake-abc-def b fake-abc c fake-abc-def");
    assert_eq!(
        out,
        "a «redacted:long» b «redacted:short» c «redacted:long»"
    );
}

#[test]
fn ignores_empty_and_duplicate_values() {
    let r = Redactor::new();
    r.add("a", "");
    r.add("a", "fake-x1");
    r.add("b", "fake-x1");
    assert_eq!(r.raw_values().to_vec(), vec!["fake-x1".to_string()]);
    assert_eq!(r.redact("fake-x1"), "«redacted:a»");
}

#[test]
fn quiet_values_are_redacted_but_no_canary() {
    let r = Redactor::new();
    r.add_quiet("reader.mutated_token", "fake-forged-token-123456");
    assert_eq!(
        r.redact("echo fake-forged-token-123456"),
        "echo «redacted:reader.mutated_token»"
    );
    assert!(r.occurrences("echo fake-forged-token-123456").is_empty());
}

#[test]
fn a_guessed_key_is_masked_as_a_word_of_its_own_only() {
    let r = Redactor::new();
    r.add_guessed("alice.hs_key", "secret");
    assert_eq!(
        r.redact("tokens.weak_secret: the key is secret, Secret."),
        "tokens.weak_secret: the key is «redacted:alice.hs_key», «redacted:alice.hs_key»."
    );
    assert_eq!(r.redact("secretary secrets"), "secretary secrets");
    assert!(r.occurrences("the key is secret").is_empty());
}

#[test]
fn redacts_and_finds_encoded_forms() {
    use base64::Engine;
    let r = Redactor::new();
    r.add("reader.bearer", "fake-reader-token-1234567890");
    let header =
        base64::engine::general_purpose::STANDARD.encode("Bearer fake-reader-token-1234567890");
    let text = format!("auth={header}");
    assert_eq!(
        r.occurrences(&text),
        vec!["reader.bearer/base64".to_string()]
    );
    let shown = r.redact(&text);
    assert!(shown.contains("«redacted:reader.bearer/base64»"), "{shown}");
    assert!(!shown.contains(&header[8..30]), "{shown}");
}

#[test]
fn finds_secrets_through_encodings_a_view_undoes() {
    let r = Redactor::new();
    r.add("k", "Zq8~secretValue*2025/é");
    for (text, label) in [
        ("api_key=Zq8%7EsecretValue%2A2025/%C3%A9", "k/url"),
        ("api_key=Zq8%7esecretValue*2025%2f%c3%a9", "k/url"),
        (r#"{"k":"Zq8~secretValue*2025\/\u00e9"}"#, "k/json"),
        ("got \"Zq8~secretValue*2025/\\u{e9}\"", "k/json"),
        ("HOST zq8~secretvalue*2025/é", "k"),
        ("Zq8~secret\r\n Value*2025/é", "k"),
    ] {
        assert_eq!(r.occurrences(text), vec![label.to_string()], "{text}");
        let shown = r.redact(text);
        assert!(
            !shown.to_lowercase().contains("secretvalue"),
            "{text} -> {shown}"
        );
    }
}

#[test]
fn finds_secrets_with_invisible_characters_through_display_escapes() {
    let r = Redactor::new();
    r.add("k", "Zq8\u{ad}secret\u{200b}Value2025");
    for text in [
        "x-echo: Zq8\u{ad}secret\u{200b}Value2025",
        r#"header x-echo: expected "n", got "Zq8\u{ad}secret\u{200b}Value2025""#,
        "x-echo: Zq8secretValue2025",
    ] {
        let found = r.occurrences(text);
        assert!(found == ["k"] || found == ["k/json"], "{text}: {found:?}");
        assert!(!r.redact(text).contains("secret"), "{text}");
    }
}

#[test]
fn masks_parts_left_at_cuts_and_well_known_formats() {
    let r = Redactor::new();
    r.add("t", "fake-0123456789abcdef-token");
    let shown = r.redact("ORA-01017: logon denied for fake-0123456789ab");
    assert_eq!(
        shown,
        "ORA-01017: logon denied for «redacted:part of a secret»"
    );
    assert_eq!(r.redact("…-token and on"), "…«redacted:t/part» and on");
    let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJib2IifQ.c2lnbmF0dXJlLXZhbHVl";
    assert_eq!(r.redact(&format!("x {jwt} y")), "x «jwt, 60 chars» y");
    assert!(r.occurrences("fake-0123456789ab").is_empty());
}

#[test]
fn a_text_remembered_before_a_secret_was_added_is_redacted_after() {
    let r = Redactor::new();
    r.add("a", "fake-first-1234");
    let text = "token fake-later-5678 here";
    assert_eq!(r.redact(text), text);
    // The second time from the memo: the same answer.
    assert_eq!(r.redact(text), text);
    r.add("b", "fake-later-5678");
    assert_eq!(r.redact(text), "token «redacted:b» here");
    assert_eq!(r.redact(text), "token «redacted:b» here");
}

#[test]
fn a_text_redacted_once_is_redacted_alike_and_not_remembered() {
    let r = Redactor::new();
    r.add("a", "fake-secret-9876");
    let text = "s.yaml#access[0]?k=fake-secret-9876";
    assert_eq!(r.redact_once(text), r.redact(text));
    assert_eq!(r.redact_once(text), "s.yaml#access[0]?k=«redacted:a»");
    r.redact_once("s.yaml#access[1]");
    assert!(!r.compiled().memo().contains_key("s.yaml#access[1]"));
}

#[test]
fn a_full_memo_starts_over_and_still_redacts() {
    let r = Redactor::new();
    r.add("a", "fake-secret-9876");
    for i in 0..MEMO_ENTRIES + 10 {
        assert_eq!(r.redact(&format!("n{i}")), format!("n{i}"));
    }
    assert_eq!(r.redact("x fake-secret-9876"), "x «redacted:a»");
    assert!(r.compiled().memo().len() <= MEMO_ENTRIES);
}
