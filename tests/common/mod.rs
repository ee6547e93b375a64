//! Test harness: one fresh database per test — a SQLite file, or, when ZHAOSHANG_TEST_PG names a
//! PostgreSQL server, a new database on it — loaded with the demo county.
#![allow(dead_code)]

pub mod chromium;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::Value;
use std::path::PathBuf;
use tower::ServiceExt;
use zhaoshang::config::Config;
use zhaoshang::service::App;
use zhaoshang::store::Db;

pub const PASSWORD: &str = "Test-Pass-2026!";

pub struct TestApp {
    pub app: App,
    pub router: Router,
    pub backend: &'static str,
    pub url: String,
    /// The test's own connections to the application's database, for what no API shows.
    pub db: Db,
    sqlite_dir: Option<PathBuf>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(dir) = &self.sqlite_dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

fn unique_name() -> String {
    let mut bytes = [0u8; 6];
    getrandom::fill(&mut bytes).expect("randomness");
    format!("zs_test_{}", hex::encode(bytes))
}

/// The database URL for a new test, creating the database when it is PostgreSQL.
async fn fresh_database() -> (String, &'static str, Option<PathBuf>) {
    match std::env::var("ZHAOSHANG_TEST_PG") {
        Ok(admin_url) if !admin_url.is_empty() => {
            let name = unique_name();
            sqlx::any::install_default_drivers();
            let admin = sqlx::AnyPool::connect(&admin_url)
                .await
                .expect("connect to the test PostgreSQL server");
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(&admin)
                .await
                .expect("create test database");
            admin.close().await;
            let base = admin_url
                .rsplit_once('/')
                .map(|(b, _)| b)
                .unwrap_or(&admin_url);
            (format!("{base}/{name}"), "postgres", None)
        }
        _ => {
            let dir = std::env::temp_dir().join(unique_name());
            std::fs::create_dir_all(&dir).expect("temp dir");
            let url = format!("sqlite://{}/test.db", dir.display());
            (url, "sqlite", Some(dir))
        }
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(Config::default()).await
}

pub async fn spawn_app_with(config: Config) -> TestApp {
    let (url, backend, sqlite_dir) = fresh_database().await;
    let db = Db::connect(&url).await.expect("connect");
    db.migrate().await.expect("migrate");
    let app = App::new(db, config);
    app.load_demo(PASSWORD).await.expect("demo data loads");
    TestApp {
        router: zhaoshang::web::router(app.clone()),
        app,
        backend,
        db: Db::connect(&url).await.expect("connect"),
        url,
        sqlite_dir,
    }
}

impl TestApp {
    /// Another process on the same database: its own connections and in-memory lists.
    pub async fn second_process(&self) -> TestApp {
        let db = Db::connect(&self.url).await.expect("connect");
        let app = App::new(db, Config::default());
        TestApp {
            router: zhaoshang::web::router(app.clone()),
            app,
            backend: self.backend,
            db: Db::connect(&self.url).await.expect("connect"),
            url: self.url.clone(),
            sqlite_dir: None,
        }
    }
}

pub struct Reply {
    pub status: StatusCode,
    pub content_type: String,
    pub headers: axum::http::HeaderMap,
    pub text: String,
    /// The body as sent (for files).
    pub bytes: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }

    /// The text a reader sees in each element of the page's body that matches `selector`
    /// (whitespace collapsed). What sits in the head — the title — is never matched.
    pub fn attrs(&self, selector: &str, attr: &str) -> Vec<String> {
        let page = scraper::Html::parse_document(&self.text);
        let wanted = scraper::Selector::parse(selector)
            .unwrap_or_else(|e| panic!("bad selector {selector}: {e:?}"));
        page.select(&wanted)
            .filter_map(|e| e.value().attr(attr).map(str::to_string))
            .collect()
    }

    pub fn texts(&self, selector: &str) -> Vec<String> {
        let page = scraper::Html::parse_document(&self.text);
        let body = scraper::Selector::parse("body").expect("body selector");
        let wanted = scraper::Selector::parse(selector)
            .unwrap_or_else(|e| panic!("bad selector {selector}: {e:?}"));
        page.select(&body)
            .flat_map(|b| b.select(&wanted).collect::<Vec<_>>())
            .map(|e| {
                e.text()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }
}

/// Sends `request` through `router` and collects the whole answer.
pub async fn send_to(router: Router, request: Request<Body>) -> Reply {
    let response = router.oneshot(request).await.expect("response");
    let status = response.status();
    let headers = response.headers().clone();
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    Reply {
        status,
        content_type,
        headers,
        text: String::from_utf8_lossy(&bytes).to_string(),
        bytes: bytes.to_vec(),
    }
}

/// An API request with an optional bearer token and JSON body.
pub fn api_request(
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&Value>,
) -> Request<Body> {
    let mut req = Request::builder().method(method).uri(path);
    if let Some(t) = token {
        req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    let body = match body {
        Some(v) => {
            req = req.header(header::CONTENT_TYPE, "application/json");
            Body::from(v.to_string())
        }
        None => Body::empty(),
    };
    req.body(body).expect("request")
}

impl TestApp {
    pub async fn send(&self, request: Request<Body>) -> Reply {
        send_to(self.router.clone(), request).await
    }

    /// Sends `request` from a task of its own, so that many can be in flight at once.
    pub fn spawn_send(&self, request: Request<Body>) -> tokio::task::JoinHandle<Reply> {
        tokio::spawn(send_to(self.router.clone(), request))
    }

    /// Checks the audit trail's hash chain end to end.
    pub async fn assert_audit_intact(&self) {
        let mut conn = self.db.pool.acquire().await.unwrap();
        let check = zhaoshang::store::audit::verify(&mut conn).await.unwrap();
        assert!(
            matches!(check, zhaoshang::store::audit::ChainCheck::Intact { .. }),
            "{check:?}"
        );
    }

    /// Signs in through the API and returns the bearer token.
    pub async fn token(&self, login: &str) -> String {
        self.token_with(login, PASSWORD).await
    }

    /// `POST /api/v1/session`, whatever it answers.
    pub async fn sign_in(&self, login: &str, password: &str) -> Reply {
        self.post_json(
            "/api/v1/session",
            None,
            &serde_json::json!({"login": login, "password": password}),
        )
        .await
    }

    /// Signs in through the API with `password`; the bearer token.
    pub async fn token_with(&self, login: &str, password: &str) -> String {
        let reply = self.sign_in(login, password).await;
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "sign-in of {login}: {}",
            reply.text
        );
        reply.json()["token"].as_str().expect("token").to_string()
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Reply {
        self.send(api_request("GET", path, token, None)).await
    }

    pub async fn json_request(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: &Value,
    ) -> Reply {
        self.send(api_request(method, path, token, Some(body)))
            .await
    }

    pub async fn post_json(&self, path: &str, token: Option<&str>, body: &Value) -> Reply {
        self.json_request("POST", path, token, body).await
    }

    pub async fn patch_json(&self, path: &str, token: Option<&str>, body: &Value) -> Reply {
        self.json_request("PATCH", path, token, body).await
    }

    /// Posts an HTML form with a session cookie.
    pub async fn post_form(
        &self,
        path: &str,
        cookie: Option<&str>,
        fields: &[(&str, &str)],
    ) -> Reply {
        // A signed-in browser's forms carry the session's anti-forgery token.
        let token = cookie.map(|c| {
            let session = c.split_once('=').map_or("", |(_, v)| v);
            zhaoshang::service::auth::form_token(session)
        });
        let mut fields = fields.to_vec();
        if let Some(t) = &token
            && !fields.iter().any(|(k, _)| *k == "csrf")
        {
            fields.push(("csrf", t));
        }
        let body = serde_urlencoded::to_string(&fields).expect("form");
        let mut req =
            Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        self.send(req.body(Body::from(body)).expect("request"))
            .await
    }

    pub async fn get_page(&self, path: &str, cookie: &str) -> Reply {
        let req = Request::get(path).header(header::COOKIE, cookie);
        self.send(req.body(Body::empty()).expect("request")).await
    }

    /// Signs in through the login form and returns the `Cookie` header value.
    /// Adds the county's auditor (the demo leaves the three administrators to the command
    /// line), as `auditor`.
    pub async fn add_auditor(&self) {
        self.app
            .add_user(
                "auditor",
                "审计员",
                zhaoshang::domain::user::Role::Auditor,
                "yutian_county",
                PASSWORD,
                false,
            )
            .await
            .expect("the auditor");
    }

    pub async fn cookie(&self, login: &str) -> String {
        self.cookie_with(login, PASSWORD).await
    }

    /// Signs in on the sign-in page with `password`; the session cookie (`name=value`).
    pub async fn cookie_with(&self, login: &str, password: &str) -> String {
        let reply = self
            .post_form("/login", None, &[("login", login), ("password", password)])
            .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.text);
        let set = reply
            .headers
            .get(header::SET_COOKIE)
            .expect("cookie")
            .to_str()
            .unwrap();
        set.split(';').next().unwrap().to_string()
    }

    /// Creates a project through the API; returns its JSON.
    pub async fn create_project(&self, token: &str, name: &str, wan: i64) -> Value {
        let reply = self
            .post_json(
                "/api/v1/projects",
                Some(token),
                &serde_json::json!({
                    "name": name,
                    "investor_name": format!("{name}投资有限公司"),
                    "industry_code": "38",
                    "total_investment": {"yuan": wan * 10_000, "currency": "CNY"},
                    "lead_on": "2026-01-05",
                }),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
        reply.json()
    }

    pub async fn transition(&self, token: &str, id: i64, body: Value) -> Reply {
        self.post_json(
            &format!("/api/v1/projects/{id}/transitions"),
            Some(token),
            &body,
        )
        .await
    }

    /// A transition that must be refused as bad input: returns the problem's `detail`.
    pub async fn refused_transition(&self, token: &str, id: i64, body: Value) -> String {
        let reply = self.transition(token, id, body.clone()).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            reply.text
        );
        assert_eq!(reply.content_type, "application/problem+json");
        reply.json()["detail"].as_str().expect("detail").to_string()
    }

    /// The id of some project of the industrial park (unit 2 of the demo), seen by the leader.
    pub async fn a_park_project(&self) -> i64 {
        let leader = self.token("leader").await;
        let park = self
            .get("/api/v1/projects?unit=2&per_page=1", Some(&leader))
            .await
            .json();
        park["items"][0]["id"].as_i64().expect("a park project")
    }
}
