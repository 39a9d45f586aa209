//! What a running check needs: the client, each suite with its resolved base URL, and
//! the one place a model request becomes an HTTP exchange.

use std::sync::Arc;

use crate::engine::request::http::{Exchange, HttpClient};
use crate::leak::Detector;
use crate::model::template::{Vars, render, render_json, render_path, templated};
use crate::model::{Body, Request, RoleId, Suite};
use crate::redact::Redactor;
use crate::results::HarnessError;

pub struct SuiteRun {
    pub suite: Suite,
    /// Set with `set_base_url`, which keeps `base_host` in step.
    pub base_url: String,
    /// The host of `base_url`, parsed once: the leak scan of every response asks for it.
    pub base_host: Option<String>,
    /// A client of the suite's own when its `target.tls` differs from the default.
    pub http: Option<HttpClient>,
    /// By role index: a client of the role's own when it presents a client certificate.
    pub role_http: Vec<Option<HttpClient>>,
    pub upstreams: Option<crate::engine::doubles::upstreams::Upstreams>,
    pub sut: tokio::sync::Mutex<Option<crate::engine::doubles::sut::SutProcess>>,
    /// Held by each check of a suite with upstreams: what an upstream received must be
    /// that one check's doing.
    exclusive: Option<tokio::sync::Mutex<()>>,
    /// Why this suite cannot run (its SUT or upstreams did not start, its `setup:`
    /// failed).
    pub unavailable: Option<HarnessError>,
    /// The variables every request and expectation of the suite may use: `run.id`, and
    /// what its `setup:` captured.
    pub vars: Vars,
}

impl SuiteRun {
    pub fn new(suite: Suite, base_url: String, http: Option<HttpClient>) -> Self {
        let exclusive = (!suite.upstreams.is_empty()).then(|| tokio::sync::Mutex::new(()));
        let mut run = Self {
            suite,
            base_url: String::new(),
            base_host: None,
            http,
            role_http: Vec::new(),
            upstreams: None,
            sut: tokio::sync::Mutex::new(None),
            exclusive,
            unavailable: None,
            vars: Vars::new(),
        };
        run.set_base_url(base_url);
        run
    }

    pub fn set_base_url(&mut self, url: String) {
        self.base_host = reqwest::Url::parse(&url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string));
        self.base_url = url;
    }

    /// When this suite's SUT has exited: how, and what it printed last.
    pub async fn sut_exited(&self) -> Option<String> {
        let mut sut = self.sut.lock().await;
        sut.as_mut()?.exited().await
    }

    /// Waits for this suite's turn when its checks must run one at a time.
    pub async fn turn(&self) -> Option<tokio::sync::MutexGuard<'_, ()>> {
        match &self.exclusive {
            Some(m) => Some(m.lock().await),
            None => None,
        }
    }
}

pub struct Context {
    pub http: HttpClient,
    pub suites: Vec<SuiteRun>,
    pub redactor: Arc<Redactor>,
    pub detectors: Vec<Box<dyn Detector>>,
    /// What server-scope detectors saw, per origin: reported after every other check.
    pub host_wide: crate::engine::checks::host_wide::HostWide,
    pub tokens: crate::engine::auth::oauth::Tokens,
    /// The token slot of each `login:` role.
    pub logins: crate::engine::auth::login::Logins,
    /// The cookie jar of each role with credentials.
    pub jars: crate::engine::request::cookies::Jars,
    /// Seeds property-based probes; reported so `--seed` replays a run.
    pub seed: u64,
}

impl Context {
    /// The client for suite `si`'s own requests: its `target.tls` applies.
    pub fn http_for(&self, si: usize) -> &HttpClient {
        self.suites[si].http.as_ref().unwrap_or(&self.http)
    }

    /// The client for `role`'s requests: the role's own when it presents a client
    /// certificate, the suite's otherwise (and without a role).
    pub fn http_as(&self, si: usize, role: Option<RoleId>) -> &HttpClient {
        role.and_then(|r| self.suites[si].role_http.get(r.0)?.as_ref())
            .unwrap_or_else(|| self.http_for(si))
    }

    /// Sends `request` (its line only) with exactly `headers` and `body`: no role, no
    /// credential. For deliveries that come from a third party, such as webhooks.
    pub async fn send_raw(
        &self,
        si: usize,
        request: &Request,
        headers: &[(String, String)],
        body: String,
    ) -> Result<Exchange, HarnessError> {
        let run = &self.suites[si];
        let method = method(request.method)?;
        let mut builder = self
            .http_for(si)
            .request(method, &format!("{}{}", run.base_url, request.path));
        for (k, v) in headers {
            builder = builder.header(k.as_str(), v.as_str());
        }
        builder = builder
            .header("content-type", "application/json")
            .body(body);
        let ex = self.http_for(si).send(builder).await?;
        self.scannable(si, ex)
    }

    /// Sends `request` as `role` with one extra header (a probe's `Origin`).
    pub async fn send_with(
        &self,
        si: usize,
        role: RoleId,
        request: &Request,
        extra: (&str, &str),
    ) -> Result<Exchange, HarnessError> {
        let mut r = request.clone();
        r.headers.push((extra.0.to_string(), extra.1.to_string()));
        self.send(si, role, &r, &Vars::new()).await
    }

    /// Sends `request` as `role` of suite `si`, with `vars` substituted. A body beyond
    /// `--max-body` is an error when the suite's leak scan is on and finds nothing in
    /// what was read (see `scannable`).
    pub async fn send(
        &self,
        si: usize,
        role: RoleId,
        request: &Request,
        vars: &Vars,
    ) -> Result<Exchange, HarnessError> {
        let ex = self.exchange(si, role, request, vars).await?;
        self.scannable(si, ex)
    }

    /// Sends `request` as `role`, and returns the response as read, cut or not: for
    /// access cells and scenario steps, which judge a cut body themselves. A login
    /// role's request answered 401 is sent once more after a new login; a second 401
    /// stands, and after it that token's 401s are refusals (no more logins for them).
    pub async fn exchange(
        &self,
        si: usize,
        role: RoleId,
        request: &Request,
        vars: &Vars,
    ) -> Result<Exchange, HarnessError> {
        let (ex, login) = self.exchange_once(si, role, request, vars).await?;
        let (ex, login) = match login {
            Some(used)
                if ex.status == 401 && self.renewal_helps(si, role, used.generation).await =>
            {
                self.renew_login(si, role, used.generation).await?;
                let (ex, login) = self.exchange_once(si, role, request, vars).await?;
                if let Some(renewed) = login.as_ref().filter(|_| ex.status == 401) {
                    self.renewal_refuted(si, role, renewed.generation).await;
                }
                (ex, login)
            }
            login => (ex, login),
        };
        self.unexpired(si, role, ex, login.as_ref())
    }

    /// One exchange as `role`, its cookies kept in the role's jar; with the login token
    /// it sent, for a login role.
    async fn exchange_once(
        &self,
        si: usize,
        role: RoleId,
        request: &Request,
        vars: &Vars,
    ) -> Result<(Exchange, Option<crate::engine::auth::login::LoginToken>), HarnessError> {
        let builder = self.request_builder(si, request, vars)?;
        let (builder, login) = self.authorize(builder, si, role).await?;
        let ex = self.http_as(si, Some(role)).send(builder).await?;
        self.keep_cookies(si, role, &ex);
        Ok((ex, login))
    }

    /// Sends `request` with `token` as its bearer token instead of `role`'s credential
    /// (over `role`'s client: its client certificate, if it has one, still goes along).
    pub async fn send_with_token(
        &self,
        si: usize,
        role: RoleId,
        request: &Request,
        token: &str,
    ) -> Result<Exchange, HarnessError> {
        let builder = self
            .request_builder(si, request, &Vars::new())?
            .bearer_auth(token);
        let ex = self.http_as(si, Some(role)).send(builder).await?;
        self.scannable(si, ex)
    }

    /// Sends `request` as `role`, or with no credential at all (a `setup:` step without
    /// `as:`).
    pub async fn exchange_as(
        &self,
        si: usize,
        role: Option<RoleId>,
        request: &Request,
        vars: &Vars,
    ) -> Result<Exchange, HarnessError> {
        match role {
            Some(role) => self.exchange(si, role, request, vars).await,
            None => {
                let builder = self.request_builder(si, request, vars)?;
                self.http_for(si).send(builder).await
            }
        }
    }

    /// The request without any credential; `vars` over the suite's own (`run.id`, what
    /// `setup:` captured).
    pub fn request_builder(
        &self,
        si: usize,
        request: &Request,
        vars: &Vars,
    ) -> Result<reqwest::RequestBuilder, HarnessError> {
        let run = &self.suites[si];
        let merged;
        // The suite's variables are merged in only for a request that uses some: most
        // requests of a large matrix have no template at all.
        let uses_vars = templated(&request.path)
            || request.headers.iter().any(|(_, v)| templated(v))
            || request.query.iter().any(|(_, v)| templated(v))
            || request.body.is_some();
        let vars = if run.vars.is_empty() || !uses_vars {
            vars
        } else {
            let mut all = run.vars.clone();
            all.extend(vars.iter().map(|(k, v)| (k.clone(), v.clone())));
            merged = all;
            &merged
        };
        let path = render_path(&request.path, vars).map_err(HarnessError::request)?;
        let method = method(request.method)?;
        let mut builder = self
            .http_for(si)
            .request(method, &format!("{}{path}", run.base_url));
        for (k, v) in &request.headers {
            builder = builder.header(k.as_str(), render(v, vars).map_err(HarnessError::request)?);
        }
        if !request.query.is_empty() {
            let query: Vec<(&str, String)> = request
                .query
                .iter()
                .map(|(k, v)| Ok((k.as_str(), render(v, vars).map_err(HarnessError::request)?)))
                .collect::<Result<_, HarnessError>>()?;
            builder = builder.query(&query);
        }
        Ok(match request.body.as_deref() {
            Some(Body::Json(j)) => {
                builder.json(&render_json(j, vars).map_err(HarnessError::request)?)
            }
            Some(Body::Text(t)) => builder.body(render(t, vars).map_err(HarnessError::request)?),
            Some(Body::Form(fields)) => {
                let fields: Vec<(&str, String)> = fields
                    .iter()
                    .map(|(k, v)| Ok((k.as_str(), render(v, vars).map_err(HarnessError::request)?)))
                    .collect::<Result<_, HarnessError>>()?;
                builder.form(&fields)
            }
            None => builder,
        })
    }
}

fn method(name: &str) -> Result<reqwest::Method, HarnessError> {
    reqwest::Method::from_bytes(name.as_bytes()).map_err(|e| HarnessError::request(e.to_string()))
}
