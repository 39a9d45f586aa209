//! The HTML report (`--html`): one self-contained page (inline CSS and one inline script,
//! no external asset; a Content-Security-Policy forbids loading anything), written from
//! the run's `RunDocument`: the counts, filters by outcome, suite and tag (the script only
//! hides rows; without it every check shows), and for each failure the request, what was
//! expected, what came back, the body excerpt and `--> file:line:column`. Errors (dashed,
//! amber) and skips (grey) look different from failures (solid red). Every text was
//! sanitized and redacted when the document was built, is redacted once more here and
//! then HTML-escaped.

use std::io::Write;

use super::document::{
    EvidenceEntry, OutcomeEntry, ProblemEntry, ResultEntry, RunDocument, SourceLocation,
};
use super::run::Report;
use crate::redact::Redactor;

const STYLE: &str = r#"
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d232a;background:#f6f7f9}
header{background:#1d232a;color:#fff;padding:16px 24px}
h1{margin:0 0 6px;font-size:20px}
.counts span{display:inline-block;margin-right:14px;font-weight:600}
.n-pass{color:#7fdc9a}.n-fail{color:#ff8a80}.n-error{color:#ffd166}.n-skip{color:#c0c6cc}
main{padding:16px 24px}
#filters{display:flex;gap:16px;flex-wrap:wrap;margin-bottom:14px}
#filters label{font-weight:600}
select{margin-left:6px}
.check{background:#fff;border-radius:6px;margin:8px 0;padding:8px 12px;border-left:6px solid #2e9e5b}
.check h3{margin:0;font-size:14px;font-weight:600}
.badge{display:inline-block;min-width:44px;text-align:center;border-radius:4px;padding:1px 6px;margin-right:8px;font-size:12px;color:#fff;background:#2e9e5b}
.suite{color:#5c6670;font-weight:400;margin-left:8px}
.check.fail{border-left-color:#c62828}.check.fail .badge{background:#c62828}
.check.error{border:2px dashed #e0a100;border-left-width:6px;background:#fffbea}.check.error .badge{background:#b07d00}
.check.skipped{border-left-color:#9aa3ab;color:#5c6670;font-style:italic}.check.skipped .badge{background:#9aa3ab}
.message{margin:6px 0;font-weight:500}
dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:6px 0}
dt{color:#5c6670}dd{margin:0}
pre{background:#f0f2f4;border-radius:4px;padding:6px 8px;white-space:pre-wrap;word-break:break-word;margin:4px 0}
.where{font-family:ui-monospace,monospace;color:#37474f}
.coverage{background:#fff;border:1px solid #d0d5da;border-radius:6px;padding:8px 12px;margin:12px 0}
.problems{background:#fdecea;border:1px solid #c62828;border-radius:6px;padding:8px 12px}
.tags{color:#5c6670;font-size:12px}
"#;

const SCRIPT: &str = r#"
(function(){
  var f=document.getElementById('filters');
  // `#outcome=fail&tag=smoke` preselects filters, so a link can point at a view.
  location.hash.replace(/^#/,'').split('&').forEach(function(kv){
    var p=kv.split('='),el=f.elements[p[0]];
    if(el&&p.length===2){el.value=decodeURIComponent(p[1]);}
  });
  function apply(){
    var o=f.outcome.value,s=f.suite.value,t=f.tag.value,shown=0;
    document.querySelectorAll('.check').forEach(function(c){
      var ok=(!o||c.dataset.outcome===o)&&(!s||c.dataset.suite===s)&&(!t||(' '+c.dataset.tags+' ').indexOf(' '+t+' ')>=0);
      c.hidden=!ok;if(ok)shown++;
    });
    document.getElementById('shown').textContent=shown;
  }
  f.addEventListener('change',apply);apply();
})();
"#;

pub fn write(report: &Report<'_>, sink: &mut dyn Write) -> std::io::Result<()> {
    render(report.document(), report.redactor, sink)
}

/// The page of `doc` (a run's, or shards' merged).
pub fn render(doc: &RunDocument, redactor: &Redactor, sink: &mut dyn Write) -> std::io::Result<()> {
    page(doc, redactor, sink)
}

/// Redacted once more, then escaped for text and attribute values alike.
struct Esc<'a>(&'a Redactor);

impl Esc<'_> {
    fn e(&self, s: &str) -> String {
        escape(&self.0.redact(s))
    }
}

/// `&`, `<`, `>`, `"` and `'` as references.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The page, written as it is made: a check at a time, each read back in turn.
fn page(doc: &RunDocument, redactor: &Redactor, sink: &mut dyn Write) -> std::io::Result<()> {
    let x = Esc(redactor);
    let s = &doc.summary;
    let mut h = String::new();
    h.push_str(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>authspec report</title>\n<style>",
    );
    h.push_str(STYLE);
    h.push_str("</style>\n</head>\n<body>\n<header>\n<h1>authspec report</h1>\n");
    h.push_str(&format!(
        "<p class=\"counts\" id=\"counts\"><span>{} checks</span><span class=\"n-pass\">{} passed</span>\
         <span class=\"n-fail\">{} failed</span><span class=\"n-error\">{} errors</span>\
         <span class=\"n-skip\">{} skipped</span><span>exit {}</span><span>{:.2} s</span></p>\n</header>\n<main>\n",
        s.total, s.passed, s.failed, s.errors, s.skipped, s.exit_code, s.duration_seconds
    ));
    if !doc.problems.is_empty() {
        h.push_str(
            "<section class=\"problems\" id=\"problems\">\n<h2>The run stopped short</h2>\n",
        );
        for p in &doc.problems {
            h.push_str(&format!(
                "<p><strong>{}</strong>: {}</p>\n",
                x.e(&p.name),
                x.e(&p.message)
            ));
            if !p.detail.is_empty() {
                h.push_str(&format!("<pre>{}</pre>\n", x.e(&p.detail)));
            }
        }
        h.push_str("</section>\n");
    }
    for c in &doc.coverage {
        let lines = super::coverage::lines(c);
        h.push_str(&format!(
            "<section class=\"coverage\">\n<h2>OpenAPI coverage: {} ({})</h2>\n<p>{}</p>\n",
            x.e(&c.spec),
            x.e(&c.suite),
            x.e(&lines[0])
        ));
        if lines.len() > 1 {
            h.push_str("<ul>\n");
            for l in &lines[1..] {
                h.push_str(&format!("<li>{}</li>\n", x.e(l)));
            }
            h.push_str("</ul>\n");
        }
        h.push_str("</section>\n");
    }
    h.push_str(&filters(doc, &x)?);
    h.push_str("<section id=\"checks\">\n");
    sink.write_all(h.as_bytes())?;
    for r in doc.results.iter() {
        sink.write_all(check(&*r?, &x).as_bytes())?;
    }
    let mut h = String::from("</section>\n</main>\n<script>");
    h.push_str(SCRIPT);
    h.push_str("</script>\n</body>\n</html>\n");
    sink.write_all(h.as_bytes())
}

fn filters(doc: &RunDocument, x: &Esc<'_>) -> std::io::Result<String> {
    let mut suites: Vec<String> = Vec::new();
    let mut tags: Vec<String> = Vec::new();
    for r in doc.results.iter() {
        let r = r?;
        if !suites.contains(&r.suite) {
            suites.push(r.suite.clone());
        }
        for t in &r.tags {
            if !tags.contains(t) {
                tags.push(t.clone());
            }
        }
    }
    tags.sort_unstable();
    let options = |values: &[String]| -> String {
        values
            .iter()
            .map(|v| format!("<option value=\"{0}\">{0}</option>", x.e(v)))
            .collect()
    };
    Ok(format!(
        "<form id=\"filters\">\n<label>Outcome<select name=\"outcome\"><option value=\"\">all</option>\
         <option value=\"fail\">failed</option><option value=\"error\">errors</option>\
         <option value=\"skipped\">skipped</option><option value=\"pass\">passed</option></select></label>\n\
         <label>Suite<select name=\"suite\"><option value=\"\">all</option>{}</select></label>\n\
         <label>Tag<select name=\"tag\"><option value=\"\">all</option>{}</select></label>\n\
         <span><span id=\"shown\">{}</span> shown</span>\n</form>\n",
        options(&suites),
        options(&tags),
        doc.results.len()
    ))
}

fn check(r: &ResultEntry, x: &Esc<'_>) -> String {
    let (class, label) = match &r.outcome {
        OutcomeEntry::Pass => ("pass", "PASS"),
        OutcomeEntry::Fail { .. } => ("fail", "FAIL"),
        OutcomeEntry::Error { .. } => ("error", "ERROR"),
        OutcomeEntry::Skipped { .. } => ("skipped", "SKIP"),
    };
    let mut h = format!(
        "<article class=\"check {class}\" data-outcome=\"{class}\" data-suite=\"{}\" data-tags=\"{}\">\n\
         <h3><span class=\"badge\">{label}</span><span class=\"name\">{}</span><span class=\"suite\">{}</span></h3>\n",
        x.e(&r.suite),
        x.e(&r.tags.join(" ")),
        x.e(&r.name),
        x.e(&r.suite),
    );
    match &r.outcome {
        OutcomeEntry::Pass => {}
        OutcomeEntry::Fail { finding } => {
            let mut ids = vec![finding.rule.clone()];
            ids.extend(finding.cwe.iter().map(|c| format!("CWE-{c}")));
            ids.extend(finding.owasp.clone());
            h.push_str(&format!(
                "<p class=\"message\">{}</p>\n<p class=\"tags\">{}</p>\n",
                x.e(&finding.message),
                x.e(&ids.join(" · "))
            ));
            h.push_str(&evidence(&finding.evidence, r.location.as_ref(), x));
        }
        OutcomeEntry::Error { error } => {
            h.push_str(&format!(
                "<p class=\"message\">{}</p>\n",
                x.e(&error.message)
            ));
            h.push_str(&evidence(&error.evidence, r.location.as_ref(), x));
        }
        OutcomeEntry::Skipped { reason, waiver } => {
            h.push_str(&format!("<p class=\"message\">{}</p>\n", x.e(reason)));
            // A waived finding is still shown whole: the waiver accepts it, it is not fixed.
            if let Some(w) = waiver {
                h.push_str(&format!(
                    "<p class=\"tags\">waived finding: {} · owner {} · until {} · {}</p>\n",
                    x.e(&w.finding.rule),
                    x.e(&w.owner),
                    x.e(&w.expires),
                    x.e(&w.at)
                ));
                h.push_str(&evidence(&w.finding.evidence, r.location.as_ref(), x));
            }
        }
    }
    for w in &r.warnings {
        h.push_str(&format!("<p class=\"tags\">warning: {}</p>\n", x.e(w)));
    }
    h.push_str("</article>\n");
    h
}

/// The request, the problems, expected, got, the excerpt, the headers, the leaks and the
/// `-->` line, as fields; then the detail block every report prints, whole.
fn evidence(e: &EvidenceEntry, at: Option<&SourceLocation>, x: &Esc<'_>) -> String {
    let mut rows: Vec<(&str, String)> = Vec::new();
    if let Some(q) = &e.request {
        let role = q
            .role
            .as_ref()
            .map_or(String::new(), |r| format!(" (as {r})"));
        rows.push(("request", format!("{} {}{role}", q.method, q.url)));
    }
    for p in &e.problems {
        let text = match p {
            ProblemEntry::Text { text } => text.clone(),
            ProblemEntry::Leak { leak } => {
                format!("leak: {} ({}): {}", leak.what, leak.rule, leak.excerpt)
            }
        };
        rows.push(("problem", text));
    }
    if let Some(exp) = &e.expected {
        rows.push(("expected", exp.clone()));
    }
    if let Some(a) = &e.actual {
        rows.push(("got", a.status.clone()));
        if let Some(body) = &a.excerpt {
            rows.push(("excerpt", body.clone()));
        }
        for hd in &a.headers {
            rows.push(("header", format!("{}: {}", hd.name, hd.value)));
        }
    }
    for l in &e.leaks {
        rows.push(("leak", format!("{} ({}): {}", l.what, l.rule, l.excerpt)));
    }
    let mut h = String::from("<dl>\n");
    for (k, v) in rows {
        let value = if k == "excerpt" {
            format!("<pre>{}</pre>", x.e(&v))
        } else {
            x.e(&v)
        };
        h.push_str(&format!("<dt>{k}</dt><dd class=\"{k}\">{value}</dd>\n"));
    }
    h.push_str("</dl>\n");
    let at = e.location.as_ref().or(at);
    if let Some(l) = at {
        h.push_str(&format!(
            "<p class=\"where\">--&gt; {}:{}:{}</p>\n",
            x.e(&l.file),
            l.line,
            l.column
        ));
    }
    if !e.notes.is_empty() || e.hint.is_some() {
        let lines: Vec<&str> = e
            .notes
            .iter()
            .map(String::as_str)
            .chain(e.hint.as_deref())
            .collect();
        h.push_str(&format!(
            "<pre class=\"notes\">{}</pre>\n",
            x.e(&lines.join("\n"))
        ));
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape("<script>alert('x')</script>&\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;"
        );
    }
}
