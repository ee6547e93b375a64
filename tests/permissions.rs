//! The permission matrix: every route of the application (found in the router's source, so a
//! new route without a rule here fails this test) × every role × inside and outside the
//! caller's scope, against the expected answer.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::{PASSWORD, spawn_app, spawn_app_with};
use std::collections::BTreeSet;
use zhaoshang::domain::user::Role;

/// Who asks: a demo account, or an added one of the other roles, or nobody.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Leader,      // county leader: everything in scope
    Officer,     // park officer: the park project in scope
    TownOfficer, // town officer: the park project out of scope
    Department,  // park functional department: reads, never writes
    Enterprise,
    Sysadmin,
    Secadmin,
    Auditor,
    Anonymous,
}

const EVERYONE: [Who; 9] = [
    Who::Leader,
    Who::Officer,
    Who::TownOfficer,
    Who::Department,
    Who::Enterprise,
    Who::Sysadmin,
    Who::Secadmin,
    Who::Auditor,
    Who::Anonymous,
];

impl Who {
    fn login(self) -> Option<&'static str> {
        Some(match self {
            Who::Leader => "leader",
            Who::Officer => "officer",
            Who::TownOfficer => "officer_town1",
            Who::Department => "dept",
            Who::Enterprise => "firm",
            Who::Sysadmin => "sysadmin",
            Who::Secadmin => "secadmin",
            Who::Auditor => "auditor",
            Who::Anonymous => return None,
        })
    }
    fn reads(self) -> bool {
        matches!(
            self,
            Who::Leader | Who::Officer | Who::TownOfficer | Who::Department | Who::Enterprise
        )
    }
    fn writes(self) -> bool {
        matches!(self, Who::Leader | Who::Officer | Who::TownOfficer)
    }
    /// Whether the park project (and the park's investor) is inside this caller's scope: an
    /// enterprise sees only its own investor's, and this one is not its own.
    fn in_scope(self) -> bool {
        !matches!(self, Who::TownOfficer | Who::Enterprise)
    }
}

/// What a route demands.
#[derive(Debug, Clone, Copy)]
enum Rule {
    /// Anyone, signed in or not; these answers.
    Open(&'static [u16]),
    /// Any signed-in account; these answers.
    SignedIn(&'static [u16]),
    /// Reading projects (`scoped`: about the park project, so 404 outside scope).
    Read { scoped: bool, ok: &'static [u16] },
    /// Writing projects.
    Write { scoped: bool, ok: &'static [u16] },
    /// One role only.
    Only(Role, &'static [u16]),
    /// The start page: a business role's own page, the others sent to theirs.
    Home,
    /// The units' staff (leaders, officers, departments read; leaders and officers write);
    /// enterprises are refused like administrators.
    Staff {
        scoped: bool,
        write: bool,
        ok: &'static [u16],
    },
}

/// The rule and the request body of every route: `(method, path)` with `{id}` as written in
/// the router.
fn rule(method: &Method, path: &str) -> Option<(Rule, &'static str)> {
    use Rule::*;
    const JSON_EMPTY: &str = "{}";
    const FORM_EMPTY: &str = "";
    let r = match (method.as_str(), path) {
        ("GET", "/") => (Home, FORM_EMPTY),
        ("GET", "/work") => (
            Write {
                scoped: false,
                ok: &[200],
            },
            FORM_EMPTY,
        ),
        ("GET", "/healthz") => (Open(&[200]), FORM_EMPTY),
        ("GET", "/static/app.css") => (Open(&[200]), FORM_EMPTY),
        ("GET", "/login") => (Open(&[200, 303]), FORM_EMPTY),
        ("POST", "/login") => (Open(&[422]), FORM_EMPTY),
        ("POST", "/logout") => (SignedIn(&[303]), FORM_EMPTY),
        ("GET", "/account/password") => (SignedIn(&[200]), FORM_EMPTY),
        ("POST", "/account/password") => (SignedIn(&[422]), FORM_EMPTY),
        ("GET", "/projects") => (
            Read {
                scoped: false,
                ok: &[200],
            },
            FORM_EMPTY,
        ),
        ("POST", "/projects") => (
            Write {
                scoped: false,
                ok: &[422],
            },
            FORM_EMPTY,
        ),
        ("GET", "/projects/new") => (
            Write {
                scoped: false,
                ok: &[200],
            },
            FORM_EMPTY,
        ),
        ("GET", "/projects/{id}") => (
            Read {
                scoped: true,
                ok: &[200],
            },
            FORM_EMPTY,
        ),
        ("POST", "/projects/{id}") => (
            Write {
                scoped: true,
                ok: &[422],
            },
            FORM_EMPTY,
        ),
        ("GET", "/projects/{id}/edit") => (
            Write {
                scoped: true,
                ok: &[200],
            },
            FORM_EMPTY,
        ),
        ("POST", "/projects/{id}/transitions") => (
            Write {
                scoped: true,
                ok: &[422],
            },
            FORM_EMPTY,
        ),
        ("POST", "/projects/{id}/notes") => (
            Write {
                scoped: true,
                ok: &[422],
            },
            FORM_EMPTY,
        ),
        ("GET", "/audit") | ("GET", "/audit.csv") => (Only(Role::Auditor, &[200]), FORM_EMPTY),
        // Both administrators; checked with the API's unit and account lists below.
        ("GET", "/admin") => (Only(Role::Sysadmin, &[200]), FORM_EMPTY),
        // Allowed, then the empty form is refused or the (missing) record is not found.
        ("POST", "/admin/units") | ("POST", "/admin/users") => {
            (Only(Role::Sysadmin, &[422]), FORM_EMPTY)
        }
        ("POST", "/admin/units/{id}")
        | ("POST", "/admin/units/{id}/retire")
        | ("POST", "/admin/users/{id}/disable")
        | ("POST", "/admin/users/{id}/enable")
        | ("POST", "/admin/users/{id}/reset-password") => {
            (Only(Role::Sysadmin, &[404]), FORM_EMPTY)
        }
        ("POST", "/admin/users/{id}/assign") | ("POST", "/admin/users/{id}/unlock") => {
            (Only(Role::Secadmin, &[404]), FORM_EMPTY)
        }

        ("POST", "/api/v1/session") => (Open(&[401]), JSON_EMPTY),
        // The API's description holds no data: anyone may read it.
        ("GET", "/api/v1/openapi.json") => (Open(&[200]), JSON_EMPTY),
        ("DELETE", "/api/v1/session") => (SignedIn(&[204]), JSON_EMPTY),
        ("POST", "/api/v1/session/password") => (SignedIn(&[422]), JSON_EMPTY),
        ("GET", "/api/v1/projects") => (
            Read {
                scoped: false,
                ok: &[200],
            },
            JSON_EMPTY,
        ),
        ("POST", "/api/v1/projects") => (
            Write {
                scoped: false,
                ok: &[422],
            },
            JSON_EMPTY,
        ),
        ("GET", "/api/v1/projects/{id}")
        | ("GET", "/api/v1/projects/{id}/history")
        | ("GET", "/api/v1/projects/{id}/events") => (
            Read {
                scoped: true,
                ok: &[200],
            },
            JSON_EMPTY,
        ),
        ("PATCH", "/api/v1/projects/{id}") => (
            Write {
                scoped: true,
                ok: &[409],
            },
            r#"{"version": 0}"#,
        ),
        ("POST", "/api/v1/projects/{id}/transitions") => (
            Write {
                scoped: true,
                ok: &[422],
            },
            r#"{"to": "", "date": ""}"#,
        ),
        ("POST", "/api/v1/projects/{id}/notes") => (
            Write {
                scoped: true,
                ok: &[422],
            },
            r#"{"body": "", "date": ""}"#,
        ),
        ("GET", "/api/v1/audit") => (Only(Role::Auditor, &[200]), JSON_EMPTY),
        ("GET", "/api/v1/leads") | ("GET", "/leads") | ("GET", "/leads/new") => (
            Read {
                scoped: false,
                ok: &[200],
            },
            FORM_EMPTY,
        ),
        // Anyone with a business role submits a lead (the empty one is refused).
        ("POST", "/api/v1/leads") | ("POST", "/leads") => (
            Read {
                scoped: false,
                ok: &[422],
            },
            JSON_EMPTY,
        ),
        ("GET", "/api/v1/leads/{id}") | ("GET", "/leads/{id}") => (
            Read {
                scoped: true,
                ok: &[200],
            },
            FORM_EMPTY,
        ),
        ("PATCH", "/api/v1/leads/{id}") => (
            Write {
                scoped: true,
                ok: &[409],
            },
            r#"{"version": 0}"#,
        ),
        ("GET", "/leads/{id}/edit") => (
            Write {
                scoped: true,
                ok: &[200],
            },
            FORM_EMPTY,
        ),
        // An empty form: allowed, then refused by the rules.
        ("POST", "/leads/{id}") => (
            Write {
                scoped: true,
                ok: &[422],
            },
            FORM_EMPTY,
        ),
        ("POST", "/api/v1/leads/{id}/assign") | ("POST", "/leads/{id}/assign") => {
            (Only(Role::Leader, &[422]), JSON_EMPTY)
        }
        ("POST", "/api/v1/leads/{id}/notes")
        | ("POST", "/api/v1/leads/{id}/drop")
        | ("POST", "/api/v1/leads/{id}/convert")
        | ("POST", "/leads/{id}/notes")
        | ("POST", "/leads/{id}/drop")
        | ("POST", "/leads/{id}/convert") => (
            Write {
                scoped: true,
                ok: &[422],
            },
            JSON_EMPTY,
        ),
        ("GET", "/investors.xlsx") | ("GET", "/leads.xlsx") | ("GET", "/projects.xlsx") => (
            Read {
                scoped: false,
                ok: &[200],
            },
            FORM_EMPTY,
        ),
        ("GET", "/api/v1/projects/{id}/contract") => (
            Read {
                scoped: true,
                ok: &[200],
            },
            FORM_EMPTY,
        ),
        // The park project is signed or not: a stale version, or "not signed yet".
        ("PUT", "/api/v1/projects/{id}/contract") => (
            Write {
                scoped: true,
                ok: &[409, 422],
            },
            r#"{"version": 0}"#,
        ),
        ("POST", "/api/v1/projects/{id}/amendments")
        | ("POST", "/api/v1/projects/{id}/funds")
        | ("POST", "/api/v1/projects/{id}/delays") => (
            Write {
                scoped: true,
                ok: &[422],
            },
            JSON_EMPTY,
        ),
        ("GET", "/api/v1/reports/performance")
        | ("GET", "/api/v1/reports/batches")
        | ("GET", "/api/v1/land/idle") => (
            Staff {
                scoped: false,
                write: false,
                ok: &[200],
            },
            FORM_EMPTY,
        ),
        ("GET", "/projects/{id}/contract") => (
            Read {
                scoped: true,
                ok: &[200],
            },
            FORM_EMPTY,
        ),
        // An empty form: no version (or the park project not signed yet).
        ("POST", "/projects/{id}/contract")
        | ("POST", "/projects/{id}/contract/funds")
        | ("POST", "/projects/{id}/contract/amendments")
        | ("POST", "/projects/{id}/contract/delays") => (
            Write {
                scoped: true,
                ok: &[422],
            },
            FORM_EMPTY,
        ),
        ("GET", "/performance") | ("GET", "/land/idle") => (
            Staff {
                scoped: false,
                write: false,
                ok: &[200],
            },
            FORM_EMPTY,
        ),
        ("POST", "/api/v1/imports") => (
            Write {
                scoped: false,
                ok: &[422],
            },
            FORM_EMPTY,
        ),
        // A form post that is not an upload.
        ("POST", "/imports") => (
            Write {
                scoped: false,
                ok: &[400],
            },
            FORM_EMPTY,
        ),
        ("GET", "/imports/new") => (
            Write {
                scoped: false,
                ok: &[200],
            },
            FORM_EMPTY,
        ),
        // Someone else's (here: no) import is not found.
        ("GET", "/api/v1/imports/{id}")
        | ("POST", "/api/v1/imports/{id}/confirm")
        | ("GET", "/imports/{id}")
        | ("POST", "/imports/{id}/confirm")
        | ("GET", "/imports/{id}/rejected.xlsx") => (
            Write {
                scoped: false,
                ok: &[404],
            },
            FORM_EMPTY,
        ),
        ("GET", "/api/v1/referrers") | ("GET", "/referrers") => (
            Staff {
                scoped: false,
                write: false,
                ok: &[200],
            },
            FORM_EMPTY,
        ),
        ("GET", "/referrers/new") => (
            Staff {
                scoped: false,
                write: true,
                ok: &[200],
            },
            FORM_EMPTY,
        ),
        ("POST", "/api/v1/referrers") | ("POST", "/referrers") => (
            Staff {
                scoped: false,
                write: true,
                ok: &[422],
            },
            JSON_EMPTY,
        ),
        ("GET", "/api/v1/referrers/{id}") | ("GET", "/referrers/{id}") => (
            Staff {
                scoped: true,
                write: false,
                ok: &[200],
            },
            FORM_EMPTY,
        ),
        ("PATCH", "/api/v1/referrers/{id}") => (
            Staff {
                scoped: true,
                write: true,
                ok: &[409],
            },
            r#"{"version": 0}"#,
        ),
        ("GET", "/referrers/{id}/edit") => (
            Staff {
                scoped: true,
                write: true,
                ok: &[200],
            },
            FORM_EMPTY,
        ),
        ("POST", "/referrers/{id}") => (
            Staff {
                scoped: true,
                write: true,
                ok: &[422],
            },
            FORM_EMPTY,
        ),
        ("POST", "/api/v1/referrers/{id}/projects") | ("POST", "/referrers/{id}/projects") => (
            Staff {
                scoped: true,
                write: true,
                ok: &[422],
            },
            JSON_EMPTY,
        ),
        ("GET", "/api/v1/events") | ("GET", "/events") => (
            Staff {
                scoped: false,
                write: false,
                ok: &[200],
            },
            FORM_EMPTY,
        ),
        ("GET", "/events/new") => (
            Staff {
                scoped: false,
                write: true,
                ok: &[200],
            },
            FORM_EMPTY,
        ),
        ("POST", "/api/v1/events") | ("POST", "/events") => (
            Staff {
                scoped: false,
                write: true,
                ok: &[422],
            },
            JSON_EMPTY,
        ),
        ("GET", "/api/v1/events/{id}") | ("GET", "/events/{id}") => (
            Staff {
                scoped: true,
                write: false,
                ok: &[200],
            },
            FORM_EMPTY,
        ),
        ("PATCH", "/api/v1/events/{id}") => (
            Staff {
                scoped: true,
                write: true,
                ok: &[409],
            },
            r#"{"version": 0}"#,
        ),
        ("GET", "/events/{id}/edit") => (
            Staff {
                scoped: true,
                write: true,
                ok: &[200],
            },
            FORM_EMPTY,
        ),
        ("POST", "/events/{id}") => (
            Staff {
                scoped: true,
                write: true,
                ok: &[422],
            },
            FORM_EMPTY,
        ),
        ("POST", "/api/v1/events/{id}/investors")
        | ("POST", "/api/v1/events/{id}/signings")
        | ("POST", "/events/{id}/investors")
        | ("POST", "/events/{id}/signings") => (
            Staff {
                scoped: true,
                write: true,
                ok: &[422],
            },
            JSON_EMPTY,
        ),
        ("GET", "/api/v1/visits") | ("GET", "/visits") => (
            Staff {
                scoped: false,
                write: false,
                ok: &[200],
            },
            FORM_EMPTY,
        ),
        ("GET", "/visits/new") => (
            Staff {
                scoped: false,
                write: true,
                ok: &[200],
            },
            FORM_EMPTY,
        ),
        ("POST", "/api/v1/visits") | ("POST", "/visits") => (
            Staff {
                scoped: false,
                write: true,
                ok: &[422],
            },
            JSON_EMPTY,
        ),
        ("GET", "/api/v1/visits/{id}") | ("GET", "/visits/{id}") => (
            Staff {
                scoped: true,
                write: false,
                ok: &[200],
            },
            FORM_EMPTY,
        ),
        ("PATCH", "/api/v1/visits/{id}") => (
            Staff {
                scoped: true,
                write: true,
                ok: &[409],
            },
            r#"{"version": 0}"#,
        ),
        ("GET", "/visits/{id}/edit") => (
            Staff {
                scoped: true,
                write: true,
                ok: &[200],
            },
            FORM_EMPTY,
        ),
        ("POST", "/visits/{id}") => (
            Staff {
                scoped: true,
                write: true,
                ok: &[422],
            },
            FORM_EMPTY,
        ),
        // Allowed, then refused: the visit set no follow-up date.
        ("POST", "/api/v1/visits/{id}/follow-up") | ("POST", "/visits/{id}/follow-up") => (
            Staff {
                scoped: true,
                write: true,
                ok: &[409],
            },
            JSON_EMPTY,
        ),
        ("GET", "/api/v1/investors") | ("GET", "/investors") => (
            Read {
                scoped: false,
                ok: &[200],
            },
            FORM_EMPTY,
        ),
        ("POST", "/api/v1/investors") => (
            Write {
                scoped: false,
                ok: &[422],
            },
            JSON_EMPTY,
        ),
        ("POST", "/investors") => (
            Write {
                scoped: false,
                ok: &[422],
            },
            FORM_EMPTY,
        ),
        ("GET", "/investors/new") => (
            Write {
                scoped: false,
                ok: &[200],
            },
            FORM_EMPTY,
        ),
        ("GET", "/api/v1/investors/{id}") | ("GET", "/investors/{id}") => (
            Read {
                scoped: true,
                ok: &[200],
            },
            FORM_EMPTY,
        ),
        ("GET", "/investors/{id}/edit") => (
            Write {
                scoped: true,
                ok: &[200],
            },
            FORM_EMPTY,
        ),
        ("PATCH", "/api/v1/investors/{id}") => (
            Write {
                scoped: true,
                ok: &[409],
            },
            r#"{"version": 0}"#,
        ),
        ("POST", "/api/v1/investors/{id}/merge") => (
            Write {
                scoped: true,
                ok: &[422],
            },
            r#"{"into": 999999}"#,
        ),
        ("POST", "/investors/{id}") | ("POST", "/investors/{id}/merge") => (
            Write {
                scoped: true,
                ok: &[422],
            },
            FORM_EMPTY,
        ),
        ("GET", "/api/v1/units") | ("GET", "/api/v1/users") => {
            // Both administrators read the tree and the accounts; checked separately below.
            (Only(Role::Sysadmin, &[200]), JSON_EMPTY)
        }
        ("POST", "/api/v1/units") | ("POST", "/api/v1/users") => {
            (Only(Role::Sysadmin, &[422]), JSON_EMPTY)
        }
        ("POST", "/api/v1/users/{id}/disable")
        | ("POST", "/api/v1/users/{id}/enable")
        | ("POST", "/api/v1/users/{id}/reset-password") => {
            // Allowed, then the (missing) account is not found.
            (Only(Role::Sysadmin, &[404]), JSON_EMPTY)
        }
        ("PATCH", "/api/v1/units/{id}") | ("POST", "/api/v1/units/{id}/retire") => {
            (Only(Role::Sysadmin, &[404]), JSON_EMPTY)
        }
        ("PATCH", "/api/v1/users/{id}") | ("POST", "/api/v1/users/{id}/unlock") => {
            (Only(Role::Secadmin, &[404]), JSON_EMPTY)
        }
        _ => return None,
    };
    Some(r)
}

/// Every `.rs` file under `dir`, in feature folders too.
fn rust_files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files_under(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

/// The routes as the router's source declares them: `.route("path", get(..).post(..))`, with
/// the API's routers nested under /api/v1.
fn declared_routes() -> BTreeSet<(String, String)> {
    let mut found = BTreeSet::new();
    let dir = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src/web"));
    for path in rust_files_under(dir) {
        let source = std::fs::read_to_string(&path).unwrap();
        let mut rest = source.as_str();
        while let Some(at) = rest.find(".route(") {
            // The router function it is declared in: `api_routes` are nested under /api/v1.
            let seen = &source[..source.len() - rest.len() + at];
            let api = seen
                .rfind("fn ")
                .and_then(|f| seen[f + 3..].split('(').next())
                .is_some_and(|name| name.contains("api"));
            rest = &rest[at + ".route(".len()..];
            // The call's text up to its closing parenthesis.
            let mut depth = 1;
            let end = rest
                .char_indices()
                .find(|(_, c)| {
                    match c {
                        '(' => depth += 1,
                        ')' => depth -= 1,
                        _ => {}
                    }
                    depth == 0
                })
                .map(|(i, _)| i)
                .unwrap();
            let call = &rest[..end];
            let route = call.split('"').nth(1).unwrap().to_string();
            let full = if api {
                format!("/api/v1{route}")
            } else {
                route
            };
            for method in ["get", "post", "patch", "delete", "put"] {
                let token = format!("{method}(");
                if call.match_indices(&token).any(|(i, _)| {
                    i == 0 || !call[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_')
                }) {
                    found.insert((method.to_uppercase(), full.clone()));
                }
            }
        }
    }
    found
}

#[tokio::test]
async fn every_route_answers_every_role_as_the_matrix_says() {
    let routes = declared_routes();
    assert!(routes.len() > 30, "{routes:?}");
    let missing: Vec<_> = routes
        .iter()
        .filter(|(m, p)| rule(&Method::from_bytes(m.as_bytes()).unwrap(), p).is_none())
        .collect();
    assert!(missing.is_empty(), "routes without a rule: {missing:?}");

    // It signs in afresh for every route and role: well past the sign-in limit a server keeps
    // for all addresses together, which is not what this test is about.
    let t = spawn_app_with(zhaoshang::config::Config {
        sign_ins_per_minute_total: 1_000_000,
        ..Default::default()
    })
    .await;
    for (login, role, unit) in [
        ("dept", Role::Department, "park"),
        ("firm", Role::Enterprise, "park"),
        ("sysadmin", Role::Sysadmin, "yutian_county"),
        ("secadmin", Role::Secadmin, "yutian_county"),
        ("auditor", Role::Auditor, "yutian_county"),
    ] {
        t.app
            .add_user(login, login, role, unit, PASSWORD, false)
            .await
            .unwrap();
    }
    let project = t.a_park_project().await;
    let officer_id = t.sign_in("officer", PASSWORD).await.json()["user"]["id"].clone();
    let lead = t
        .post_json(
            "/api/v1/leads",
            Some(&t.token("officer").await),
            &serde_json::json!({"title": "电池壳体生产线", "investor_name": "宁波某精密公司"}),
        )
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    let visit = t
        .post_json(
            "/api/v1/visits",
            Some(&t.token("officer").await),
            &serde_json::json!({
                "direction": "in", "visit_date": "2026-01-05", "place": "园区展厅",
                "investor_side": "宁波某精密公司 总经理", "participants": [officer_id],
                "purpose": "考察园区"
            }),
        )
        .await;
    assert_eq!(visit.status, StatusCode::CREATED, "{}", visit.text);
    let visit = visit.json()["id"].as_i64().unwrap();
    let event = t
        .post_json(
            "/api/v1/events",
            Some(&t.token("officer").await),
            &serde_json::json!({
                "kind": "promotion", "title": "宁波专场推介会", "held_on": "2026-05-28", "city": "宁波"
            }),
        )
        .await;
    assert_eq!(event.status, StatusCode::CREATED, "{}", event.text);
    let event = event.json()["id"].as_i64().unwrap();
    let referrer = t
        .post_json(
            "/api/v1/referrers",
            Some(&t.token("officer").await),
            &serde_json::json!({"kind": "person", "name": "在园企业某董事长"}),
        )
        .await;
    assert_eq!(referrer.status, StatusCode::CREATED, "{}", referrer.text);
    let referrer = referrer.json()["id"].as_i64().unwrap();
    let investor = t
        .post_json(
            "/api/v1/investors",
            Some(&t.token("officer").await),
            &serde_json::json!({"name": "宁波甬钢金属制品有限公司", "kind": "foreign"}),
        )
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    let mut wrong = Vec::new();
    for (method, path) in &routes {
        let method = Method::from_bytes(method.as_bytes()).unwrap();
        let (rule, body) = rule(&method, path).unwrap();
        let target = path
            .replace("/investors/{id}", &format!("/investors/{investor}"))
            .replace("/leads/{id}", &format!("/leads/{lead}"))
            .replace("/visits/{id}", &format!("/visits/{visit}"))
            .replace("/events/{id}", &format!("/events/{event}"))
            .replace("/referrers/{id}", &format!("/referrers/{referrer}"))
            .replace("/users/{id}", "/users/999999")
            .replace("/imports/{id}", "/imports/999999")
            .replace("/units/{id}", "/units/999999")
            .replace("{id}", &project.to_string());
        for who in EVERYONE {
            let api = path.starts_with("/api/");
            let mut req = Request::builder().method(method.clone()).uri(&target);
            let mut form = String::from(body);
            if let Some(login) = who.login() {
                if api {
                    req = req.header(
                        header::AUTHORIZATION,
                        format!("Bearer {}", t.token(login).await),
                    );
                } else {
                    let cookie = t.cookie(login).await;
                    let session = cookie.split_once('=').map_or("", |(_, v)| v).to_string();
                    req = req.header(header::COOKIE, cookie);
                    if method == Method::POST {
                        form = format!("csrf={}", zhaoshang::service::auth::form_token(&session));
                    }
                }
            }
            let req = if api {
                req.header(header::CONTENT_TYPE, "application/json")
            } else {
                req.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            };
            let reply = t.send(req.body(Body::from(form)).unwrap()).await;
            let got = reply.status.as_u16();
            let refused_anonymous: u16 = if api { 401 } else { 303 };
            let expected: Vec<u16> = match rule {
                Rule::Open(ok) => ok.to_vec(),
                _ if who == Who::Anonymous => vec![refused_anonymous],
                Rule::SignedIn(ok) => ok.to_vec(),
                Rule::Home if who.reads() => vec![200],
                Rule::Home => vec![303],
                Rule::Read { scoped, ok } => {
                    if !who.reads() {
                        vec![403]
                    } else if scoped && !who.in_scope() {
                        vec![404]
                    } else {
                        ok.to_vec()
                    }
                }
                Rule::Write { scoped, ok } => {
                    if !who.writes() {
                        vec![403]
                    } else if scoped && !who.in_scope() {
                        vec![404]
                    } else {
                        ok.to_vec()
                    }
                }
                Rule::Staff { scoped, write, ok } => {
                    let allowed = if write {
                        who.writes()
                    } else {
                        who.reads() && who != Who::Enterprise
                    };
                    if !allowed {
                        vec![403]
                    } else if scoped && !who.in_scope() {
                        vec![404]
                    } else {
                        ok.to_vec()
                    }
                }
                Rule::Only(role, ok) => {
                    let both_admins =
                        path == "/api/v1/units" || path == "/api/v1/users" || path == "/admin";
                    let allowed = who.login() == Some(role_login(role))
                        || (both_admins && method == Method::GET && who == Who::Secadmin);
                    if allowed { ok.to_vec() } else { vec![403] }
                }
            };
            if !expected.contains(&got) {
                wrong.push(format!(
                    "{method} {path} as {who:?}: got {got}, expected {expected:?}"
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} mismatches:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

fn role_login(role: Role) -> &'static str {
    match role {
        Role::Sysadmin => "sysadmin",
        Role::Secadmin => "secadmin",
        Role::Auditor => "auditor",
        Role::Leader => "leader",
        _ => "",
    }
}

#[test]
fn the_scanner_sees_every_route_file() {
    let routes = declared_routes();
    for expected in [
        ("GET", "/projects/{id}"),
        ("PATCH", "/api/v1/projects/{id}"),
        ("GET", "/api/v1/audit"),
        ("GET", "/audit"),
        ("POST", "/api/v1/users/{id}/unlock"),
        ("GET", "/account/password"),
        ("POST", "/admin/users/{id}/assign"),
    ] {
        assert!(
            routes.contains(&(expected.0.to_string(), expected.1.to_string())),
            "{expected:?} in {routes:?}"
        );
    }
}

/// Every JSON route is in the OpenAPI document with its method, and the document names nothing
/// the router does not serve.
#[tokio::test]
async fn the_openapi_document_describes_every_api_route() {
    let t = spawn_app().await;
    let reply = t.get("/api/v1/openapi.json", None).await;
    assert_eq!(reply.status, StatusCode::OK);
    let doc = reply.json();
    assert_eq!(doc["openapi"], "3.1.0");
    let mut documented = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in item.as_object().unwrap().keys() {
            documented.insert((method.to_uppercase(), path.clone()));
        }
    }
    let served: BTreeSet<(String, String)> = declared_routes()
        .into_iter()
        .filter(|(_, path)| path.starts_with("/api/v1/"))
        // The document itself, and the history's first name (documented at /history).
        .filter(|(_, path)| {
            path != "/api/v1/openapi.json" && path != "/api/v1/projects/{id}/events"
        })
        .collect();
    let undocumented: Vec<_> = served.difference(&documented).collect();
    let phantom: Vec<_> = documented.difference(&served).collect();
    assert!(
        undocumented.is_empty(),
        "routes missing from the document: {undocumented:?}"
    );
    assert!(phantom.is_empty(), "documented but not served: {phantom:?}");
    // Errors are described as problem details, and the bearer scheme is declared.
    let show = &doc["paths"]["/api/v1/projects/{id}"]["get"]["responses"];
    assert!(
        show["404"]["content"]["application/problem+json"].is_object(),
        "{show}"
    );
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    // The API answers with its own response types; the domain's records stay out of the contract.
    let schemas = &doc["components"]["schemas"];
    let project = &schemas["ProjectResponse"]["properties"];
    for field in ["id", "name", "stage", "total_investment", "version"] {
        assert!(
            project[field].is_object(),
            "ProjectResponse.{field} in {project}"
        );
    }
    for record in [
        "Project",
        "HistoryEntry",
        "Investor",
        "Lead",
        "Visit",
        "PromotionEvent",
        "Referrer",
        "Unit",
        "LoggedEntry",
    ] {
        assert!(schemas[record].is_null(), "record {record} in the document");
    }
}
