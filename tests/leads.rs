//! Leads from submission to project: who submits, who assigns, who follows up, and a
//! conversion that is all or nothing.

mod common;

use axum::http::StatusCode;
use common::spawn_app;
use serde_json::{Value, json};

async fn lead_of(t: &common::TestApp, token: &str, id: i64) -> common::Reply {
    t.get(&format!("/api/v1/leads/{id}"), Some(token)).await
}

fn unit_id(units: &Value, code: &str) -> i64 {
    units["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["code"] == code)
        .unwrap()["id"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn an_enterprise_tip_is_assigned_followed_up_and_converted_into_a_project() {
    let t = spawn_app().await;
    let firm = t.token("enterprise").await;
    let leader = t.token("leader").await;
    let park_officer = t.token("officer").await;
    let town_officer = t.token("officer_town1").await;

    // 以商招商: an enterprise in the park passes on a tip.
    let submitted = t
        .post_json(
            "/api/v1/leads",
            Some(&firm),
            &json!({
                "title": "上游纸浆供应商拟配套建厂", "investor_name": "浙江某纸业有限公司",
                "channel": "business", "amount": {"yuan": 150_000_000, "currency": "CNY"},
                "source": "椰林包装林海燕", "contact": "张经理 13900000000"
            }),
        )
        .await;
    assert_eq!(submitted.status, StatusCode::CREATED, "{}", submitted.text);
    let lead = submitted.json();
    let id = lead["id"].as_i64().unwrap();
    assert_eq!(lead["status"], "new");
    assert_eq!(lead["status_label"], "待分派");
    // The park sees it; a town does not; the enterprise sees its own but works none.
    assert_eq!(lead_of(&t, &park_officer, id).await.status, StatusCode::OK);
    assert_eq!(
        lead_of(&t, &town_officer, id).await.status,
        StatusCode::NOT_FOUND
    );
    // Its own leads only: the demo's earlier tip and this one.
    let firm_list = t.get("/api/v1/leads", Some(&firm)).await.json();
    let own: Vec<i64> = firm_list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_i64().unwrap())
        .collect();
    assert!(own.contains(&id), "{firm_list}");
    assert!(
        firm_list["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l["created_by_name"] == "林海燕"),
        "{firm_list}"
    );
    let refused = t
        .post_json(
            &format!("/api/v1/leads/{id}/notes"),
            Some(&firm),
            &json!({"body": "企业自己跟进"}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    // Only a leader assigns, and only inside their subtree, to an officer of that unit.
    let not_leader = t
        .post_json(
            &format!("/api/v1/leads/{id}/assign"),
            Some(&park_officer),
            &json!({"unit_id": 1}),
        )
        .await;
    assert_eq!(not_leader.status, StatusCode::FORBIDDEN);
    t.app
        .add_user(
            "sysadmin",
            "系统管理员",
            zhaoshang::domain::user::Role::Sysadmin,
            "yutian_county",
            common::PASSWORD,
            false,
        )
        .await
        .unwrap();
    let units = t
        .get("/api/v1/units", Some(&t.token("sysadmin").await))
        .await
        .json();
    let town = unit_id(&units, "town_jiangshan");
    let users = t
        .get("/api/v1/users", Some(&t.token("sysadmin").await))
        .await
        .json();
    let id_of = |login: &str| {
        users["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["login"] == login)
            .unwrap()["id"]
            .as_i64()
            .unwrap()
    };
    let wrong_officer = t
        .post_json(
            &format!("/api/v1/leads/{id}/assign"),
            Some(&leader),
            &json!({"unit_id": town, "officer_id": id_of("officer")}),
        )
        .await;
    assert_eq!(wrong_officer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(wrong_officer.json()["errors"][0]["field"], "officer_id");
    let assigned = t
        .post_json(
            &format!("/api/v1/leads/{id}/assign"),
            Some(&leader),
            &json!({"unit_id": town, "officer_id": id_of("officer_town1")}),
        )
        .await;
    assert_eq!(assigned.status, StatusCode::OK, "{}", assigned.text);
    assert_eq!(assigned.json()["status"], "assigned");
    // Scope follows the unit: the town sees it now, the park no longer; the submitter still does.
    assert_eq!(lead_of(&t, &town_officer, id).await.status, StatusCode::OK);
    assert_eq!(
        lead_of(&t, &park_officer, id).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(lead_of(&t, &firm, id).await.status, StatusCode::OK);

    // Followed up; a future date is refused by name.
    let future = t
        .post_json(
            &format!("/api/v1/leads/{id}/notes"),
            Some(&town_officer),
            &json!({"body": "电话联系张经理", "date": "2999-01-01"}),
        )
        .await;
    assert_eq!(future.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(future.json()["errors"][0]["field"], "date");
    let noted = t
        .post_json(
            &format!("/api/v1/leads/{id}/notes"),
            Some(&town_officer),
            &json!({"body": "电话联系张经理，约定下月来园考察"}),
        )
        .await;
    assert_eq!(noted.status, StatusCode::CREATED, "{}", noted.text);

    // Converting needs an industry the lead lacks: refused, and nothing is created.
    let before = t.get("/api/v1/projects", Some(&leader)).await.json()["total"].clone();
    let missing = t
        .post_json(
            &format!("/api/v1/leads/{id}/convert"),
            Some(&town_officer),
            &json!({"to": "negotiating"}),
        )
        .await;
    assert_eq!(
        missing.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        missing.text
    );
    assert_eq!(missing.json()["errors"][0]["field"], "industry_code");
    assert_eq!(
        t.get("/api/v1/projects", Some(&leader)).await.json()["total"],
        before
    );
    let bad_stage = t
        .post_json(
            &format!("/api/v1/leads/{id}/convert"),
            Some(&town_officer),
            &json!({"to": "contracted", "industry_code": "22"}),
        )
        .await;
    assert_eq!(bad_stage.status, StatusCode::UNPROCESSABLE_ENTITY);
    // A stale version is found only after the project is written: the whole conversion is
    // undone, the project included (in the lists too).
    let stale = t
        .post_json(
            &format!("/api/v1/leads/{id}/convert"),
            Some(&town_officer),
            &json!({"to": "negotiating", "industry_code": "22", "version": 0}),
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.text);
    assert_eq!(
        t.get("/api/v1/projects", Some(&leader)).await.json()["total"],
        before
    );
    assert_eq!(
        t.get("/api/v1/projects?q=上游纸浆供应商", Some(&leader))
            .await
            .json()["total"],
        0
    );
    assert_eq!(
        lead_of(&t, &town_officer, id).await.json()["status"],
        "assigned"
    );

    let converted = t
        .post_json(
            &format!("/api/v1/leads/{id}/convert"),
            Some(&town_officer),
            &json!({"to": "negotiating", "industry_code": "22", "name": "纸浆配套加工项目"}),
        )
        .await;
    assert_eq!(converted.status, StatusCode::CREATED, "{}", converted.text);
    let project = converted.json();
    assert_eq!(project["stage"], "negotiating");
    // Named as asked, not after the lead's sentence.
    assert_eq!(project["name"], "纸浆配套加工项目");
    assert_eq!(project["total_investment"]["yuan"], 150_000_000);
    assert_eq!(project["unit_id"], town);
    assert_eq!(project["channel"], "business");
    // The source of the information is no referrer: nobody is credited unless chosen.
    assert_eq!(project["referrer"], json!(null));
    assert_eq!(project["referrer_id"], json!(null));
    // The lead's investor is in the 客商库 now, linked to the project.
    let investor_id = project["investor_id"].as_i64().expect("a 客商库 record");
    let investor = t
        .get(
            &format!("/api/v1/investors/{investor_id}"),
            Some(&town_officer),
        )
        .await;
    assert_eq!(investor.status, StatusCode::OK, "{}", investor.text);
    assert_eq!(investor.json()["name"], project["investor_name"]);
    let lead = lead_of(&t, &town_officer, id).await.json();
    assert_eq!(lead["status"], "converted");
    assert_eq!(lead["project_id"], project["id"]);
    assert_eq!(
        lead["follow_ups"][0]["body"],
        "电话联系张经理，约定下月来园考察"
    );
    // Once converted, nothing more is done to the lead.
    let again = t
        .post_json(
            &format!("/api/v1/leads/{id}/convert"),
            Some(&town_officer),
            &json!({"to": "lead", "industry_code": "22"}),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.text.contains("已转为项目"));

    // The project's page names the lead it came from.
    let cookie = t.cookie("officer_town1").await;
    let page = t
        .get_page(&format!("/projects/{}", project["id"]), &cookie)
        .await;
    assert!(
        page.text.contains(&format!("href=\"/leads/{id}\"")),
        "{}",
        page.text
    );
}

#[tokio::test]
async fn a_lead_is_dropped_only_with_a_reason_and_the_forms_keep_what_was_typed() {
    let t = spawn_app().await;
    let officer = t.token("officer").await;
    let id = t
        .post_json(
            "/api/v1/leads",
            Some(&officer),
            &json!({"title": "光伏支架项目", "investor_name": "某新能源公司"}),
        )
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    let cookie = t.cookie("officer").await;
    let no_reason = t
        .post_form(
            &format!("/leads/{id}/drop"),
            Some(&cookie),
            &[("reason", " ")],
        )
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_reason.text.contains("放弃线索须说明原因"));
    let bad_amount = t
        .post_form(
            &format!("/leads/{id}/convert"),
            Some(&cookie),
            &[
                ("to", "lead"),
                ("total_investment", "五千万"),
                ("industry_code", "38"),
            ],
        )
        .await;
    assert_eq!(bad_amount.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad_amount.text.contains("总投资须为数字"),
        "{}",
        bad_amount.text
    );
    assert!(bad_amount.text.contains("value=\"五千万\""));
    let dropped = t
        .post_form(
            &format!("/leads/{id}/drop"),
            Some(&cookie),
            &[("reason", "企业已在邻县落地")],
        )
        .await;
    assert_eq!(dropped.status, StatusCode::SEE_OTHER);
    let lead = t
        .get(&format!("/api/v1/leads/{id}"), Some(&officer))
        .await
        .json();
    assert_eq!(lead["status"], "dropped");
    assert_eq!(lead["drop_reason"], "企业已在邻县落地");

    // A new lead refused on the page keeps every field typed.
    let refused = t
        .post_form(
            "/leads",
            Some(&cookie),
            &[("title", ""), ("investor_name", "某公司"), ("amount", "-5")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text.contains("线索内容不能为空"));
    assert!(refused.text.contains("预计投资额不能为负数"));
    assert!(refused.text.contains("value=\"某公司\""));
    // An amount written as people say it.
    let written = t
        .post_form(
            "/leads",
            Some(&cookie),
            &[
                ("title", "亿元级装备制造线索"),
                ("investor_name", "某装备集团"),
                ("amount", "1.2亿"),
            ],
        )
        .await;
    assert_eq!(written.status, StatusCode::SEE_OTHER, "{}", written.text);
    let found = t
        .get("/api/v1/leads?q=亿元级装备", Some(&officer))
        .await
        .json();
    assert_eq!(found["items"][0]["amount"]["yuan"], 120_000_000);
    let words = t
        .post_form(
            "/leads",
            Some(&cookie),
            &[
                ("title", "某线索"),
                ("investor_name", "某公司"),
                ("amount", "一亿"),
            ],
        )
        .await;
    assert_eq!(words.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        words.text.contains("也可写成“3000万”或“1.5亿”"),
        "{}",
        words.text
    );
}

#[tokio::test]
async fn a_lead_about_a_known_investor_shows_on_the_investor_page() {
    let t = spawn_app().await;
    let officer = t.token("officer").await;
    let investor = t
        .get("/api/v1/investors?q=椰林", Some(&officer))
        .await
        .json()["items"][0]["id"]
        .as_i64()
        .unwrap();
    let cookie = t.cookie("officer").await;
    let form = t
        .get_page(&format!("/leads/new?investor_id={investor}"), &cookie)
        .await;
    assert!(
        form.text.contains("value=\"玉田椰林包装科技有限公司\""),
        "{}",
        form.text
    );
    let lead = t
        .post_json(
            "/api/v1/leads",
            Some(&officer),
            &json!({"title": "椰林二期扩产", "investor_name": "玉田椰林包装科技有限公司", "investor_id": investor}),
        )
        .await;
    assert_eq!(lead.status, StatusCode::CREATED, "{}", lead.text);
    let listed = t
        .get(
            &format!("/api/v1/leads?investor_id={investor}"),
            Some(&officer),
        )
        .await
        .json();
    assert_eq!(listed["total"], 1);
    let page = t.get_page(&format!("/investors/{investor}"), &cookie).await;
    let leads = page.texts("#investor-leads tbody tr");
    assert_eq!(leads.len(), 1, "{leads:?}");
    assert!(leads[0].contains("椰林二期扩产"), "{leads:?}");
    assert_eq!(
        page.texts("table#investor-leads").len(),
        1,
        "the leads table, once"
    );
    // Another town cannot name the park's investor on a lead.
    let town = t.token("officer_town1").await;
    let refused = t
        .post_json(
            "/api/v1/leads",
            Some(&town),
            &json!({"title": "x", "investor_name": "y", "investor_id": investor}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.json()["errors"][0]["field"], "investor_id");
}

#[tokio::test]
async fn a_lead_amount_is_taken_as_sent_and_bounded() {
    let t = spawn_app().await;
    let officer = t.token("officer").await;
    let exact = t
        .post_json(
            "/api/v1/leads",
            Some(&officer),
            &json!({"title": "铝型材深加工", "investor_name": "某铝业公司",
                    "amount": {"yuan": 123_456_789, "currency": "USD"}, "channel": ""}),
        )
        .await;
    assert_eq!(exact.status, StatusCode::CREATED, "{}", exact.text);
    assert_eq!(
        exact.json()["amount"],
        json!({"yuan": 123_456_789, "currency": "USD"})
    );
    let id = exact.json()["id"].as_i64().unwrap();
    let negative = t
        .json_request(
            "PATCH",
            &format!("/api/v1/leads/{id}"),
            Some(&officer),
            &json!({"amount": {"yuan": -1, "currency": "CNY"}, "title": " ", "version": 1}),
        )
        .await;
    assert_eq!(negative.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<String> = negative.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_string())
        .collect();
    assert!(
        fields.contains(&"amount".to_string()) && fields.contains(&"title".to_string()),
        "{fields:?}"
    );
}

/// 获取日期: today when not given, the date given otherwise; a date that is none, or lies in
/// the future, is refused by name; converting the lead dates the project's entry from it.
#[tokio::test]
async fn a_lead_keeps_the_day_it_was_learned_of() {
    let t = spawn_app().await;
    let officer = t.token("officer").await;
    let today = zhaoshang::domain::dates::iso(zhaoshang::domain::dates::shanghai_date(
        time::OffsetDateTime::now_utc(),
    ));
    let post = |body: serde_json::Value| {
        let (t, officer) = (&t, officer.clone());
        async move { t.post_json("/api/v1/leads", Some(&officer), &body).await }
    };
    let plain = post(json!({"title": "无日期线索", "investor_name": "某公司"})).await;
    assert_eq!(plain.status, StatusCode::CREATED, "{}", plain.text);
    assert_eq!(plain.json()["received_on"], today);
    let dated = post(json!({
        "title": "有日期线索", "investor_name": "某公司", "received_on": "2026.3.5",
        "amount": {"yuan": 50_000_000, "currency": "CNY"}
    }))
    .await;
    assert_eq!(dated.status, StatusCode::CREATED, "{}", dated.text);
    assert_eq!(dated.json()["received_on"], "2026-03-05");
    for bad in ["2026-13-01", "2099-01-01"] {
        let refused =
            post(json!({"title": "坏日期线索", "investor_name": "某公司", "received_on": bad}))
                .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert_eq!(refused.json()["errors"][0]["field"], "received_on", "{bad}");
    }
    // The page shows it, and a refused form keeps what was typed.
    let cookie = t.cookie("officer").await;
    let id = dated.json()["id"].as_i64().unwrap();
    let page = t.get_page(&format!("/leads/{id}"), &cookie).await;
    assert_eq!(page.texts("#received-on"), ["2026-03-05"]);
    let form = t
        .post_form(
            "/leads",
            Some(&cookie),
            &[
                ("title", "表单线索"),
                ("investor_name", "某公司"),
                ("received_on", "去年三月"),
            ],
        )
        .await;
    assert_eq!(form.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(form.attrs("input[name=received_on]", "value"), ["去年三月"]);
    assert!(form.texts(".error").iter().any(|e| e.contains("获取日期")));

    // Converted without a date, the project entered the pipeline the day the lead came in.
    let lead = dated.json();
    let assigned = t
        .post_json(
            &format!("/api/v1/leads/{id}/assign"),
            Some(&t.token("leader").await),
            &json!({"unit_id": lead["unit_id"]}),
        )
        .await;
    assert_eq!(assigned.status, StatusCode::OK, "{}", assigned.text);
    let converted = t
        .post_json(
            &format!("/api/v1/leads/{id}/convert"),
            Some(&officer),
            &json!({"to": "lead", "industry_code": "22", "name": "有日期的项目"}),
        )
        .await;
    assert_eq!(converted.status, StatusCode::CREATED, "{}", converted.text);
    assert_eq!(converted.json()["lead_on"], "2026-03-05");
}
