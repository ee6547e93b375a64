//! Contract performance through the API: terms recorded once a project is signed, funds and
//! capital increases in the contract's currency, delays; the three rates, 四个一批 and idle
//! land computed from them, within scope.

mod common;

use axum::http::StatusCode;
use common::spawn_app;
use serde_json::{Value, json};

async fn version(t: &common::TestApp, token: &str, id: i64) -> i64 {
    t.get(&format!("/api/v1/projects/{id}"), Some(token))
        .await
        .json()["version"]
        .as_i64()
        .unwrap()
}

async fn put(t: &common::TestApp, token: &str, path: &str, body: &Value) -> common::Reply {
    t.json_request("PUT", path, Some(token), body).await
}

fn money(v: &Value, currency: &str) -> i64 {
    v.as_array()
        .unwrap()
        .iter()
        .find(|m| m["currency"] == currency)
        .map_or(0, |m| m["yuan"].as_i64().unwrap())
}

fn funds_of(report: &Value, currency: &str) -> (i64, i64) {
    report["funds_rate"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["currency"] == currency)
        .map_or((0, 0), |f| {
            (
                f["arrived"]["yuan"].as_i64().unwrap(),
                f["committed"]["yuan"].as_i64().unwrap(),
            )
        })
}

fn ids(v: &Value) -> Vec<i64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|i| i.as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn a_signed_project_s_terms_funds_and_delays_make_its_figures() {
    let t = spawn_app().await;
    let officer = t.token("officer").await;
    let leader = t.token("leader").await;
    let p = t.create_project(&officer, "履约测试项目", 5000).await;
    let id = p["id"].as_i64().unwrap();
    for step in [
        json!({"to": "negotiating", "date": "2026-02-01"}),
        json!({"to": "intent", "date": "2026-03-01"}),
    ] {
        assert_eq!(
            t.transition(&officer, id, step).await.status,
            StatusCode::OK
        );
    }
    let path = |what: &str| format!("/api/v1/projects/{id}/{what}");
    let terms = |v: i64| {
        json!({
            "version": v,
            "start_deadline": "2026-06-30",
            "production_deadline": "2027-06-30",
            "intensity_yuan_per_m2": 3000,
            "land_area_m2": 40000,
            "land_price": {"yuan": 3_000_000, "currency": "CNY"},
            "incentives": [{"kind": "税收返还", "amount": {"yuan": 1_000_000, "currency": "CNY"}, "recover_if": "未按期投产"}]
        })
    };
    // Before 正式签约: refused, saying why.
    let early = put(
        &t,
        &officer,
        &path("contract"),
        &terms(version(&t, &officer, id).await),
    )
    .await;
    assert_eq!(
        early.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        early.text
    );
    assert!(early.text.contains("正式签约"), "{}", early.text);

    let report_before = t
        .get(
            "/api/v1/reports/performance?since=2026-01-01",
            Some(&leader),
        )
        .await
        .json();
    let batches_before = t
        .get("/api/v1/reports/batches?from=2026-01-01", Some(&leader))
        .await
        .json();
    let signed = t
        .transition(
            &officer,
            id,
            json!({"to": "contracted", "date": "2026-04-01", "contract_amount": {"yuan": 50_000_000, "currency": "CNY"}}),
        )
        .await;
    assert_eq!(signed.status, StatusCode::OK, "{}", signed.text);

    // A stale version is refused; the current one records the terms.
    let v = version(&t, &officer, id).await;
    let stale = put(&t, &officer, &path("contract"), &terms(v - 1)).await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.text);
    let recorded = put(&t, &officer, &path("contract"), &terms(v)).await;
    assert_eq!(recorded.status, StatusCode::OK, "{}", recorded.text);
    let contract = recorded.json();
    assert_eq!(contract["start_deadline"], "2026-06-30");
    assert_eq!(contract["effective_from"], "2026-04-01", "the signing date");
    assert_eq!(contract["signed_on"], "2026-04-01");
    assert_eq!(contract["version"], v + 1);
    assert_eq!(contract["incentives"][0]["recover_if"], "未按期投产");
    // Not started by its deadline: 违约, the start term missed.
    assert_eq!(contract["standing"]["status"], "breached", "{contract}");
    assert_eq!(contract["standing"]["missed"][0]["term"], "start");
    // Bad terms are named field by field.
    let bad = put(
            &t,
            &officer,
            &path("contract"),
            &json!({"version": v + 1, "start_deadline": "2026-13-01", "production_deadline": "2026-01-01", "land_area_m2": 0}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<String> = bad.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_string())
        .collect();
    assert!(
        fields.contains(&"start_deadline".into()) && fields.contains(&"land_area_m2".into()),
        "{fields:?}"
    );

    // Funds in another currency are refused with the reason; in the contract's, recorded.
    let v = v + 1;
    let dollars = t
        .post_json(
            &path("funds"),
            Some(&officer),
            &json!({"version": v, "date": "2026-05-01", "amount": {"yuan": 1_000_000, "currency": "USD"}, "source": "自有资金"}),
        )
        .await;
    assert_eq!(dollars.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(dollars.text.contains("币种"), "{}", dollars.text);
    let funds = t
        .post_json(
            &path("funds"),
            Some(&officer),
            &json!({"version": v, "date": "2026-05-01", "amount": {"yuan": 10_000_000, "currency": "CNY"}, "source": "自有资金"}),
        )
        .await;
    assert_eq!(funds.status, StatusCode::CREATED, "{}", funds.text);
    let increase = t
        .post_json(
            &path("amendments"),
            Some(&officer),
            &json!({"version": v + 1, "date": "2026-07-01", "added_investment": {"yuan": 20_000_000, "currency": "CNY"}, "reason": "扩大产能"}),
        )
        .await;
    assert_eq!(increase.status, StatusCode::CREATED, "{}", increase.text);
    assert_eq!(increase.json()["committed"]["yuan"], 70_000_000);
    let landed = t
        .transition(
            &officer,
            id,
            json!({"to": "landed", "date": "2026-05-01", "credit_code": "91350100M000100Y43", "land_grant_date": "2026-05-01"}),
        )
        .await;
    assert_eq!(landed.status, StatusCode::OK, "{}", landed.text);
    let v = version(&t, &officer, id).await;
    let backwards = t
        .post_json(
            &path("delays"),
            Some(&officer),
            &json!({"version": v, "from": "2026-06-10", "to": "2026-06-01", "reason": "规划调整"}),
        )
        .await;
    assert_eq!(backwards.status, StatusCode::UNPROCESSABLE_ENTITY);
    let delay = t
        .post_json(
            &path("delays"),
            Some(&officer),
            &json!({"version": v, "from": "2026-06-01", "to": "2026-06-10", "reason": "规划调整，政府原因"}),
        )
        .await;
    assert_eq!(delay.status, StatusCode::CREATED, "{}", delay.text);
    assert_eq!(delay.json()["delays"][0]["days"], 10);

    // Idle land: the deadline extended by ten days (2026-07-10); idle from its anniversary.
    let idle = |as_of: &'static str| {
        let (t, leader) = (&t, leader.clone());
        async move {
            let all = t
                .get(&format!("/api/v1/land/idle?as_of={as_of}"), Some(&leader))
                .await
                .json();
            all["items"]
                .as_array()
                .unwrap()
                .iter()
                .find(|i| i["project_id"] == id)
                .cloned()
        }
    };
    assert_eq!(idle("2026-07-10").await, None);
    let overdue = idle("2026-07-11").await.expect("listed");
    assert_eq!(overdue["status"], "overdue");
    assert_eq!(overdue["extended_deadline"], "2026-07-10");
    assert_eq!(overdue["days_overdue"], 1);
    let fee = idle("2027-07-10").await.expect("listed");
    assert_eq!(fee["status"], "idle");
    assert_eq!(fee["fee"], json!({"yuan": 600_000, "currency": "CNY"}));
    assert_eq!(idle("2028-07-10").await.unwrap()["status"], "recoverable");

    // The three rates moved by exactly this project.
    let report = t
        .get(
            "/api/v1/reports/performance?since=2026-01-01",
            Some(&leader),
        )
        .await
        .json();
    assert!(ids(&report["contract_projects"]).contains(&id));
    assert!(ids(&report["fulfilment"]["breached"]).contains(&id));
    let count = |r: &Value, k: &str| r[k].as_array().unwrap().len() as i64;
    assert_eq!(
        count(&report, "contract_projects"),
        count(&report_before, "contract_projects") + 1
    );
    let (arrived, committed) = funds_of(&report, "CNY");
    let (arrived0, committed0) = funds_of(&report_before, "CNY");
    assert_eq!(
        (arrived - arrived0, committed - committed0),
        (10_000_000, 70_000_000)
    );
    assert!(
        report["definitions"]["fulfilment"]
            .as_str()
            .unwrap()
            .contains("履约")
    );
    // Asked about an earlier date, the earlier answer: before the signing, not a contract project.
    let earlier = t
        .get(
            "/api/v1/reports/performance?since=2026-01-01&as_of=2026-03-31",
            Some(&leader),
        )
        .await
        .json();
    assert!(!ids(&earlier["contract_projects"]).contains(&id));
    let batches = t
        .get("/api/v1/reports/batches?from=2026-01-01", Some(&leader))
        .await
        .json();
    assert!(ids(&batches["signed"]["ids"]).contains(&id));
    assert_eq!(
        money(&batches["signed"]["amounts"], "CNY")
            - money(&batches_before["signed"]["amounts"], "CNY"),
        70_000_000,
        "signed 50M, increased 20M"
    );

    // Scope and roles: another unit's officer does not find it; a department does not write;
    // an enterprise sees no reports; bad dates are named.
    let town = t.token("officer_town1").await;
    assert_eq!(
        t.get(&path("contract"), Some(&town)).await.status,
        StatusCode::NOT_FOUND
    );
    let firm = t.token("enterprise").await;
    assert_eq!(
        t.get("/api/v1/reports/performance", Some(&firm))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let bad_date = t
        .get(
            "/api/v1/reports/performance?as_of=2026-02-30",
            Some(&leader),
        )
        .await;
    assert_eq!(bad_date.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad_date.content_type.contains("problem+json"));
    assert_eq!(bad_date.json()["errors"][0]["field"], "as_of");

    // In the audit trail.
    t.add_auditor().await;
    let auditor = t.token("auditor").await;
    for action in [
        "contract_terms",
        "funds_arrived",
        "capital_increase",
        "delay",
    ] {
        let trail = t
            .get(&format!("/api/v1/audit?action={action}"), Some(&auditor))
            .await
            .json();
        assert_eq!(
            trail["items"][0]["entity_id"],
            id.to_string(),
            "{action}: {trail}"
        );
    }
    t.assert_audit_intact().await;
}

/// The pages: a project's 合同履约 page records terms and funds from forms (a refused form
/// keeps what was typed), the 履约监管 page shows the rates with their projects, the idle-land
/// list names the project.
#[tokio::test]
async fn the_contract_pages_record_terms_and_funds_and_show_the_rates() {
    let t = spawn_app().await;
    let officer = t.token("officer").await;
    let p = t.create_project(&officer, "页面履约项目", 8000).await;
    let id = p["id"].as_i64().unwrap();
    for step in [
        json!({"to": "negotiating", "date": "2026-02-01"}),
        json!({"to": "intent", "date": "2026-02-15"}),
    ] {
        assert_eq!(
            t.transition(&officer, id, step).await.status,
            StatusCode::OK
        );
    }
    let signed = t
        .transition(
            &officer,
            id,
            json!({"to": "contracted", "date": "2026-03-01", "contract_amount": {"yuan": 80_000_000, "currency": "CNY"}}),
        )
        .await;
    assert_eq!(signed.status, StatusCode::OK, "{}", signed.text);
    let landed = t
        .transition(
            &officer,
            id,
            json!({"to": "landed", "date": "2026-03-10", "credit_code": "91350100M000100Y43", "land_grant_date": "2026-03-10"}),
        )
        .await;
    assert_eq!(landed.status, StatusCode::OK, "{}", landed.text);
    let cookie = t.cookie("officer").await;
    let page_path = format!("/projects/{id}/contract");
    let project_page = t.get_page(&format!("/projects/{id}"), &cookie).await;
    assert_eq!(
        project_page.attrs("#contract-link", "href"),
        std::slice::from_ref(&page_path)
    );
    let page = t.get_page(&page_path, &cookie).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.texts("#no-terms"), ["尚未录入合同条款。"]);
    let v = version(&t, &officer, id).await.to_string();

    // A bad form comes back with what was typed and the reason beside the field.
    let bad = t
        .post_form(
            &page_path,
            Some(&cookie),
            &[
                ("version", &v),
                ("start_deadline", "2026-02-30"),
                ("production_deadline", "2027-03-01"),
                ("land_price", "三百万"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.text);
    assert_eq!(
        bad.attrs("input[name=start_deadline]", "value"),
        ["2026-02-30"]
    );
    assert_eq!(bad.attrs("input[name=land_price]", "value"), ["三百万"]);
    let errors = bad.texts("#terms-form .error");
    assert!(
        errors.iter().any(|e| e.contains("约定开工日期")),
        "{errors:?}"
    );
    assert!(errors.iter().any(|e| e.contains("土地价款")), "{errors:?}");

    // A field that cannot be read refuses the whole form, even when the dates are good:
    // nothing is written.
    let half = t
        .post_form(
            &page_path,
            Some(&cookie),
            &[
                ("version", &v),
                ("start_deadline", "2026-06-30"),
                ("production_deadline", "2027-06-30"),
                ("intensity_yuan_per_m2", "很高"),
            ],
        )
        .await;
    assert_eq!(
        half.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        half.text
    );
    assert_eq!(half.texts("#no-terms"), ["尚未录入合同条款。"]);
    assert_eq!(version(&t, &officer, id).await.to_string(), v);
    let saved = t
        .post_form(
            &page_path,
            Some(&cookie),
            &[
                ("version", &v),
                ("start_deadline", "2026-06-30"),
                ("production_deadline", "2027-06-30"),
                ("land_area", "60"),
                ("land_price", "300"),
                ("intensity_yuan_per_m2", "3000"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text);
    let page = t.get_page(&format!("{page_path}?msg=terms"), &cookie).await;
    assert_eq!(page.texts(".flash"), ["合同条款已保存。"]);
    assert_eq!(page.texts("#standing"), ["违约"]);
    assert!(page.texts("#missed li")[0].contains("约定开工"));
    let terms = page.texts("#terms dd");
    assert!(terms.contains(&"2026-06-30".to_string()), "{terms:?}");
    assert!(terms.iter().any(|t| t.contains("60.00 亩")), "{terms:?}");
    let v = version(&t, &officer, id).await.to_string();
    let funds = t
        .post_form(
            &format!("{page_path}/funds"),
            Some(&cookie),
            &[
                ("version", &v),
                ("date", "2026-04-01"),
                ("amount", "1500"),
                ("text", "自有资金"),
            ],
        )
        .await;
    assert_eq!(funds.status, StatusCode::SEE_OTHER, "{}", funds.text);
    let page = t.get_page(&page_path, &cookie).await;
    assert_eq!(
        page.texts("#funds tbody tr td:nth-child(2)"),
        ["1,500.00万元"]
    );

    // The 履约监管 page: the project among the contract projects, breached.
    let leader = t.cookie("leader").await;
    let report = t.get_page("/performance?since=2026-01-01", &leader).await;
    assert_eq!(report.status, StatusCode::OK);
    let breached = report.texts("#breached li a");
    assert!(
        breached.contains(&"页面履约项目".to_string()),
        "{breached:?}"
    );
    assert!(report.texts("#fulfilment .figure-value")[0].ends_with('%'));
    assert!(
        !report.texts("#fulfilment .hint")[0].is_empty(),
        "the definition beside it"
    );
    // The idle-land list as of a year after the start deadline.
    let idle = t.get_page("/land/idle?as_of=2027-07-01", &leader).await;
    let row = idle.texts(&format!("#idle-land tr[data-project=\"{id}\"] td"));
    assert_eq!(row[1], "闲置", "{row:?}");
    assert_eq!(row[5], "60.00万元", "20% of 300万元");
    // A department reads the reports but records nothing.
    let dept = t.cookie("department").await;
    assert_eq!(
        t.get_page("/performance", &dept).await.status,
        StatusCode::OK
    );
    let refused = t
        .post_form(
            &format!("{page_path}/funds"),
            Some(&dept),
            &[("version", &v)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}
