//! The 客商库: duplicates caught on the way in, merges that keep history, data scope, and
//! enterprise accounts that see only their own projects.

mod common;

use axum::http::StatusCode;
use common::{PASSWORD, spawn_app};
use serde_json::{Value, json};
use zhaoshang::domain::user::Role;

/// A valid code (checksum included) not used by the demo.
const CODE: &str = "91350100M000100Y43";

async fn create(t: &common::TestApp, token: &str, body: Value) -> common::Reply {
    t.post_json("/api/v1/investors", Some(token), &body).await
}

#[tokio::test]
async fn the_same_credit_code_or_a_probably_equal_name_is_caught_and_confirmable() {
    let t = spawn_app().await;
    let officer = t.token("officer").await;
    let first = create(
        &t,
        &officer,
        json!({
            "name": "宁波甬钢（集团）有限公司", "kind": "private", "credit_code": CODE,
            "origin_city": "宁波", "listed": true,
            "contacts": [{"name": "李强", "title": "副总经理", "phone": "0574-8765 4321", "email": "li@yonggang.cn"}]
        }),
    )
    .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
    let first = first.json();
    assert_eq!(first["kind_label"], "民营企业");
    assert_eq!(first["contacts"][0]["name"], "李强");

    // Same code, any name: the same investor, named in the refusal.
    let same = create(
        &t,
        &officer,
        json!({"name": "完全不同的名字", "kind": "private", "credit_code": CODE.to_lowercase()}),
    )
    .await;
    assert_eq!(same.status, StatusCode::CONFLICT);
    assert_eq!(same.content_type, "application/problem+json");
    let body = same.json();
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains("宁波甬钢（集团）有限公司")
    );
    assert_eq!(body["candidates"][0]["id"], first["id"]);

    // Brackets, width, spaces and company form differ only: a probable duplicate.
    let similar = json!({"name": "宁波甬钢 (集团) 股份有限公司", "kind": "foreign"});
    let refused = create(&t, &officer, similar.clone()).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.text);
    assert_eq!(refused.json()["candidates"][0]["id"], first["id"]);
    let mut confirmed = similar;
    confirmed["confirm_duplicate"] = json!(true);
    assert_eq!(
        create(&t, &officer, confirmed).await.status,
        StatusCode::CREATED
    );

    // Bad input names each field and its rule; unknown fields are refused by name.
    let bad = create(
        &t,
        &officer,
        json!({"name": "", "kind": "state", "credit_code": "91350100M000100Y44", "website": "example.com"}),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<String> = bad.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(fields, ["name", "credit_code", "website"], "{}", bad.text);
    assert!(bad.text.contains("校验位不正确"));
    let unknown = create(
        &t,
        &officer,
        json!({"name": "某公司", "kind": "foreign", "colour": "red"}),
    )
    .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown.text.contains("未知字段“colour”"));
}

#[tokio::test]
async fn investors_keep_to_scope_edits_check_the_version_and_merges_move_projects() {
    let t = spawn_app().await;
    let officer = t.token("officer").await;
    let town = t.token("officer_town1").await;
    let leader = t.token("leader").await;
    let kept = create(
        &t,
        &officer,
        json!({"name": "澜沧精密电路（深圳）有限公司", "kind": "hmt"}),
    )
    .await
    .json();
    let id = kept["id"].as_i64().unwrap();

    // Another town's officer neither finds it nor opens it; the county leader does.
    assert_eq!(
        t.get(&format!("/api/v1/investors/{id}"), Some(&town))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let town_list = t
        .get("/api/v1/investors?q=澜沧精密", Some(&town))
        .await
        .json();
    assert_eq!(town_list["total"], 0);
    let leader_list = t
        .get("/api/v1/investors?q=澜沧精密", Some(&leader))
        .await
        .json();
    assert_eq!(leader_list["total"], 1);

    // Edits carry the version; a stale one is refused.
    let edited = t
        .patch_json(
            &format!("/api/v1/investors/{id}"),
            Some(&officer),
            &json!({"version": 1, "fortune_china_500": true}),
        )
        .await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.text);
    assert_eq!(edited.json()["fortune_china_500"], true);
    let stale = t
        .patch_json(
            &format!("/api/v1/investors/{id}"),
            Some(&officer),
            &json!({"version": 1, "notes": "迟到的修改"}),
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);

    // A project names it; merged into another record, the project follows.
    let mut project = json!({
        "name": "高端电路板项目", "investor_name": "澜沧精密电路", "industry_code": "39",
        "total_investment": {"yuan": 300_000_000, "currency": "CNY"}, "investor_id": id
    });
    let created = t
        .post_json("/api/v1/projects", Some(&officer), &project)
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let project_id = created.json()["id"].as_i64().unwrap();
    let project_version = created.json()["version"].as_i64().unwrap();
    let lead = t
        .post_json(
            "/api/v1/leads",
            Some(&officer),
            &json!({"title": "电路板扩产", "investor_name": "澜沧精密电路", "investor_id": id, "investor_name": "杭州华鼎电路有限公司"}),
        )
        .await;
    assert_eq!(lead.status, StatusCode::CREATED, "{}", lead.text);
    let lead_id = lead.json()["id"].as_i64().unwrap();
    let into = create(
        &t,
        &officer,
        json!({"name": "澜沧精密电路（深圳）股份公司", "kind": "hmt", "confirm_duplicate": true}),
    )
    .await
    .json()["id"]
        .as_i64()
        .unwrap();
    let merged = t
        .post_json(
            &format!("/api/v1/investors/{id}/merge"),
            Some(&officer),
            &json!({"into": into}),
        )
        .await;
    assert_eq!(merged.status, StatusCode::OK, "{}", merged.text);
    let target = t
        .get(&format!("/api/v1/investors/{into}"), Some(&officer))
        .await
        .json();
    assert_eq!(target["projects"][0]["id"], project_id);
    let source = t
        .get(&format!("/api/v1/investors/{id}"), Some(&officer))
        .await
        .json();
    assert_eq!(source["merged_into"], into);
    let project_now = t
        .get(&format!("/api/v1/projects/{project_id}"), Some(&officer))
        .await
        .json();
    assert_eq!(project_now["investor_id"], into);
    // A project form opened before the merge cannot put the old record back.
    assert!(project_now["version"].as_i64().unwrap() > project_version);
    let lead_now = t
        .get(&format!("/api/v1/leads/{lead_id}"), Some(&officer))
        .await
        .json();
    assert_eq!(lead_now["investor_id"], into);
    // The merged record takes no new projects and no second merge.
    project["investor_id"] = json!(id);
    let refused = t
        .post_json("/api/v1/projects", Some(&officer), &project)
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text.contains("已并入另一条记录"));
    let again = t
        .post_json(
            &format!("/api/v1/investors/{id}/merge"),
            Some(&officer),
            &json!({"into": into}),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);

    // Another town's officer cannot name it on a project either.
    project["investor_id"] = json!(into);
    let foreign = t.post_json("/api/v1/projects", Some(&town), &project).await;
    assert_eq!(foreign.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(foreign.text.contains("客商不存在，或不在您的管辖范围内"));

    // The merge is in the audit trail with the record as it was.
    t.app
        .add_user(
            "auditor",
            "审计员",
            Role::Auditor,
            "yutian_county",
            PASSWORD,
            false,
        )
        .await
        .unwrap();
    let trail = t
        .get(
            "/api/v1/audit?entity=investor&action=merge",
            Some(&t.token("auditor").await),
        )
        .await
        .json();
    assert_eq!(trail["total"], 1);
    assert_eq!(
        trail["items"][0]["before"]["name"],
        "澜沧精密电路（深圳）有限公司"
    );
}

#[tokio::test]
async fn an_enterprise_account_sees_only_its_own_projects_and_their_stages() {
    let t = spawn_app().await;
    // The demo's enterprise account speaks for 玉田椰林包装科技有限公司 (one project).
    let firm = t.token("enterprise").await;
    let list = t.get("/api/v1/projects", Some(&firm)).await.json();
    assert_eq!(list["total"], 1, "{list}");
    let own = list["items"][0].clone();
    assert_eq!(own["investor_name"], "玉田椰林包装科技有限公司");
    let own_id = own["id"].as_i64().unwrap();
    // Counts and sums are of its projects only.
    assert_eq!(list["sums"]["count"], 1);

    // Another project answers as if it did not exist.
    let other = t.a_park_project().await;
    assert_eq!(
        t.get(&format!("/api/v1/projects/{other}"), Some(&firm))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // Its own: stages, not the officers' notes.
    let history = t
        .get(&format!("/api/v1/projects/{own_id}/history"), Some(&firm))
        .await
        .json();
    // The first name of the same list still answers.
    let events = t
        .get(&format!("/api/v1/projects/{own_id}/events"), Some(&firm))
        .await
        .json();
    assert_eq!(history, events);
    let kinds: Vec<&str> = history["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"transition"), "{kinds:?}");
    assert!(!kinds.contains(&"note"), "{kinds:?}");
    // It writes nothing.
    let write = t
        .patch_json(
            &format!("/api/v1/projects/{own_id}"),
            Some(&firm),
            &json!({"version": 1, "name": "改名"}),
        )
        .await;
    assert_eq!(write.status, StatusCode::FORBIDDEN);
    // In the 客商库 it sees its own record only.
    let investors = t.get("/api/v1/investors", Some(&firm)).await.json();
    assert_eq!(investors["total"], 1);
    assert_eq!(investors["items"][0]["name"], "玉田椰林包装科技有限公司");

    // A new enterprise account is linked by credit code; an unknown code is refused.
    for (login, role) in [("sysadmin", Role::Sysadmin), ("secadmin", Role::Secadmin)] {
        t.app
            .add_user(login, login, role, "yutian_county", PASSWORD, false)
            .await
            .unwrap();
    }
    let sys = t.token("sysadmin").await;
    let sec = t.token("secadmin").await;
    // 三员分立: the system administrator makes the account; the security administrator gives
    // it the enterprise role and its investor, together.
    let created = t
        .post_json(
            "/api/v1/users",
            Some(&sys),
            &json!({"login": "firm2", "name": "企业二", "unit": "park"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let user_id = created.json()["user"]["id"].as_i64().unwrap();
    // Its owner replaces the one-time password first (a role is given only after that).
    let one_time = created.json()["one_time_password"]
        .as_str()
        .unwrap()
        .to_string();
    let first = t.sign_in("firm2", &one_time).await.json()["token"]
        .as_str()
        .unwrap()
        .to_string();
    let changed = t
        .post_json(
            "/api/v1/session/password",
            Some(&first),
            &json!({"current": one_time, "new": "Firm-Two-2026!", "confirm": "Firm-Two-2026!"}),
        )
        .await;
    assert!(changed.status.is_success(), "{}", changed.text);
    let unknown = t
        .patch_json(
            &format!("/api/v1/users/{user_id}"),
            Some(&sec),
            &json!({"role": "enterprise", "unit": "park", "enterprise_credit_code": CODE}),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        unknown.json()["errors"][0]["field"],
        "enterprise_credit_code"
    );
    let code = investors["items"][0]["credit_code"].as_str().unwrap();
    let linked = t
        .patch_json(
            &format!("/api/v1/users/{user_id}"),
            Some(&sec),
            &json!({"role": "enterprise", "unit": "park", "enterprise_credit_code": code}),
        )
        .await;
    assert_eq!(linked.status, StatusCode::OK, "{}", linked.text);
    // Role and link are one change: one audit entry names both.
    let mut conn = t.db.pool.acquire().await.unwrap();
    let (investor_id, assigned): (Option<i64>, String) = sqlx::query_as(
        "SELECT u.investor_id, (SELECT a.after_json FROM audit_log a
                 WHERE a.entity = 'user' AND a.entity_id = $1 AND a.action = 'assign')
         FROM users u WHERE u.id = $2",
    )
    .bind(user_id.to_string())
    .bind(user_id)
    .fetch_one(&mut *conn)
    .await
    .unwrap();
    assert_eq!(investor_id, investors["items"][0]["id"].as_i64());
    let assigned: serde_json::Value = serde_json::from_str(&assigned).unwrap();
    assert_eq!(assigned["role"], "enterprise");
    assert_eq!(assigned["investor_id"], investors["items"][0]["id"]);
}

/// A mainland company recorded before its code is known is kept, marked 待补充信用代码; a code
/// that is sent is still checked digit by digit.
#[tokio::test]
async fn an_investor_without_a_credit_code_is_kept_and_marked_pending() {
    let t = spawn_app().await;
    let officer = t.token("officer").await;
    let created = t
        .post_json(
            "/api/v1/investors",
            Some(&officer),
            &json!({"name": "厦门鹭岛新材料有限公司", "kind": "private"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let id = created.json()["id"].as_i64().unwrap();
    let cookie = t.cookie("officer").await;
    let page = t.get_page(&format!("/investors/{id}"), &cookie).await;
    assert_eq!(page.texts("#code-pending"), vec!["待补充信用代码"]);
    let bad = t
        .post_json(
            "/api/v1/investors",
            Some(&officer),
            &json!({"name": "厦门另一家材料有限公司", "kind": "private",
                    "credit_code": "91350100M000100Y44"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.json()["errors"][0]["field"], "credit_code");
}

#[tokio::test]
async fn the_investor_form_warns_of_a_probable_duplicate_and_keeps_what_was_typed() {
    let t = spawn_app().await;
    let cookie = t.cookie("officer").await;
    let fields = [
        ("name", "玉田椰林包装科技(有限公司)"),
        ("kind", "private"),
        ("credit_code", ""),
        ("contact_name_0", "王芳"),
        ("contact_phone_0", "电话"),
        ("contact_name_1", ""),
    ];
    let refused = t.post_form("/investors", Some(&cookie), &fields).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    // A missing code is no error at the 客商 stage; the bad phone is.
    assert!(
        refused
            .texts(".error")
            .iter()
            .all(|e| !e.contains("信用代码"))
    );
    assert!(refused.text.contains("电话须为5到20位数字"));
    assert!(refused.text.contains("value=\"王芳\""));

    let similar = [
        ("name", "玉田椰林包装科技 有限责任公司"),
        ("kind", "foreign"),
        ("contact_name_0", "王芳"),
    ];
    let warned = t.post_form("/investors", Some(&cookie), &similar).await;
    assert_eq!(warned.status, StatusCode::CONFLICT);
    assert!(warned.text.contains("名称相近"));
    assert!(warned.text.contains("玉田椰林包装科技有限公司"));
    assert!(warned.text.contains("name=\"confirm_duplicate\""));
    assert!(
        warned
            .text
            .contains("value=\"玉田椰林包装科技 有限责任公司\"")
    );

    let mut confirmed = similar.to_vec();
    confirmed.push(("confirm_duplicate", "1"));
    let created = t.post_form("/investors", Some(&cookie), &confirmed).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.text);
    let page = t
        .get_page(created.headers["location"].to_str().unwrap(), &cookie)
        .await;
    assert!(page.text.contains("客商已登记。"));
    assert!(page.text.contains("王芳"));
}

#[tokio::test]
async fn an_investor_page_says_when_it_lists_only_the_latest_of_its_leads() {
    let t = spawn_app().await;
    let officer = t.token("officer").await;
    let investor = create(
        &t,
        &officer,
        json!({"name": "杭州华鼎电路有限公司", "kind": "foreign"}),
    )
    .await
    .json();
    let id = investor["id"].as_i64().unwrap();
    let shown = zhaoshang::service::EXCERPT_ROWS as usize;
    for n in 0..=shown {
        let lead = t
            .post_json(
                "/api/v1/leads",
                Some(&officer),
                &json!({"title": format!("扩产线索 {n}"), "investor_id": id, "investor_name": "杭州华鼎电路有限公司"}),
            )
            .await;
        assert_eq!(lead.status, StatusCode::CREATED, "{}", lead.text);
    }
    let page = t
        .get_page(&format!("/investors/{id}"), &t.cookie("officer").await)
        .await;
    assert_eq!(page.texts("#investor-leads tbody tr").len(), shown);
    assert!(
        page.texts("h2")
            .contains(&format!("招商线索（{}）", shown + 1)),
        "{:?}",
        page.texts("h2")
    );
    let cut = page.texts("#investor-leads-cut").join("");
    assert!(cut.contains(&format!("共 {} 条线索", shown + 1)), "{cut}");
    assert_eq!(
        page.attrs("#investor-leads-cut a", "href"),
        vec![format!("/leads?investor_id={id}")]
    );
    // The projects, with none cut, say nothing more.
    assert!(page.texts("#investor-projects-cut").is_empty());
}

/// Duplicates are looked for across the whole tree, but a record outside the caller's scope is
/// only counted: no name, id or unit — and the caller is told whom to ask.
#[tokio::test]
async fn a_duplicate_outside_the_callers_scope_is_told_without_naming_it() {
    let t = spawn_app().await;
    let town1 = t.token("officer_town1").await;
    let town2 = t.token("officer_town2").await;
    let kept = create(
        &t,
        &town1,
        json!({"name": "宁波甬钢（集团）有限公司", "kind": "private", "credit_code": CODE}),
    )
    .await;
    assert_eq!(kept.status, StatusCode::CREATED, "{}", kept.text);
    let kept = kept.json();
    let kept_unit = kept["unit_name"].as_str().unwrap().to_string();

    for body in [
        json!({"name": "另一个名字", "kind": "private", "credit_code": CODE}),
        json!({"name": "宁波甬钢 (集团) 股份有限公司", "kind": "foreign"}),
    ] {
        let refused = create(&t, &town2, body).await;
        assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.text);
        let answer = refused.json();
        let detail = answer["detail"].as_str().unwrap();
        assert!(detail.contains("管辖范围以外"), "{detail}");
        assert!(
            detail.contains("联系") || detail.contains("了解"),
            "{detail}"
        );
        assert!(!detail.contains("甬钢"), "no name: {detail}");
        assert!(!detail.contains(&kept_unit), "no unit: {detail}");
        assert!(
            answer["candidates"].as_array().is_none_or(Vec::is_empty),
            "no candidates: {answer}"
        );
        assert!(!refused.text.contains(&format!("\"id\":{}", kept["id"])));
    }
    // Within scope the record is still named (the county leader sees both towns).
    let county = t.token("leader").await;
    let named = create(
        &t,
        &county,
        json!({"name": "又一个名字", "kind": "private", "credit_code": CODE}),
    )
    .await;
    assert_eq!(named.status, StatusCode::CONFLICT);
    assert!(named.json()["detail"].as_str().unwrap().contains("甬钢"));
}

/// An enterprise sees its own project's facts and stages, never the office's working notes
/// (备注) or who referred it (引荐人): not in the API, not on the page, not in an export.
#[tokio::test]
async fn an_enterprise_sees_no_internal_field_of_its_project() {
    let t = spawn_app().await;
    let firm = t.token("enterprise").await;
    let own = t.get("/api/v1/projects", Some(&firm)).await.json()["items"][0].clone();
    let id = own["id"].as_i64().unwrap();
    // The office writes a note and names a referrer on it.
    let leader = t.token("leader").await;
    let current = t
        .get(&format!("/api/v1/projects/{id}"), Some(&leader))
        .await
        .json();
    let edited = t
        .patch_json(
            &format!("/api/v1/projects/{id}"),
            Some(&leader),
            &json!({"version": current["version"], "notes": "内部备注：对方要价偏高",
                    "referrer": "王海涛（内部引荐人）"}),
        )
        .await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.text);

    for path in [
        format!("/api/v1/projects/{id}"),
        "/api/v1/projects".to_string(),
    ] {
        let seen = t.get(&path, Some(&firm)).await;
        assert_eq!(seen.status, StatusCode::OK);
        assert!(!seen.text.contains("内部备注"), "{path}: {}", seen.text);
        assert!(!seen.text.contains("王海涛"), "{path}: {}", seen.text);
    }
    let cookie = t.cookie("enterprise").await;
    let page = t.get_page(&format!("/projects/{id}"), &cookie).await;
    assert_eq!(page.status, StatusCode::OK);
    let shown = page.texts("main").join(" ");
    assert!(
        !shown.contains("内部备注") && !shown.contains("王海涛"),
        "{shown}"
    );
    // The office's own fields are left out of the answer altogether, not sent empty.
    let answer = t
        .get(&format!("/api/v1/projects/{id}"), Some(&firm))
        .await
        .json();
    let listed = t.get("/api/v1/projects", Some(&firm)).await.json()["items"][0].clone();
    for key in [
        "referrer",
        "referrer_id",
        "leader_id",
        "leader_name",
        "notes",
    ] {
        assert!(answer.get(key).is_none(), "{key}: {answer}");
        assert!(listed.get(key).is_none(), "{key} in the list: {listed}");
    }
    assert!(answer.get("stage").is_some() && answer.get("officer_name").is_some());
    // Nor does its page show them, or the office's working filters.
    let labels = page.texts("dl dt");
    for label in ["包联领导", "引荐人"] {
        assert!(!labels.iter().any(|l| l == label), "{label}: {labels:?}");
    }
    assert!(!page.texts("dd").iter().any(|d| d.contains("无新进展")));
    let list = t.get_page("/projects", &cookie).await;
    assert!(list.texts("select[name=unit]").is_empty());
    assert!(list.texts("select[name=batch]").is_empty());
    assert!(list.texts("nav.quick").is_empty());
    assert!(!list.texts("th").iter().any(|h| h == "无进展天数"));
    let office_list = t.get_page("/projects", &t.cookie("leader").await).await;
    assert_eq!(office_list.texts("select[name=unit]").len(), 1);
    assert!(office_list.texts("th").iter().any(|h| h == "无进展天数"));
    let export = t.get_page("/projects.xlsx", &cookie).await;
    if export.status == StatusCode::OK {
        let rows = zhaoshang::sheet::read_rows(&export.bytes, 1 << 24, 100).unwrap();
        let cells: Vec<&String> = rows.iter().flat_map(|(_, r)| r).collect();
        assert!(
            !cells
                .iter()
                .any(|c| c.contains("内部备注") || c.contains("王海涛")),
            "{cells:?}"
        );
    }
    // The office still sees both.
    let office = t
        .get(&format!("/api/v1/projects/{id}"), Some(&leader))
        .await;
    assert!(office.text.contains("内部备注") && office.text.contains("王海涛"));
}

/// Nor the office's 备注 on its own 客商库 record.
#[tokio::test]
async fn an_enterprise_sees_no_internal_note_on_its_investor_record() {
    let t = spawn_app().await;
    let firm = t.token("enterprise").await;
    let own = t.get("/api/v1/investors", Some(&firm)).await.json()["items"][0].clone();
    let id = own["id"].as_i64().unwrap();
    let leader = t.token("leader").await;
    let edited = t
        .patch_json(
            &format!("/api/v1/investors/{id}"),
            Some(&leader),
            &json!({"version": own["version"], "notes": "内部备注：资金链偏紧"}),
        )
        .await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.text);
    for path in [
        format!("/api/v1/investors/{id}"),
        "/api/v1/investors".to_string(),
    ] {
        let seen = t.get(&path, Some(&firm)).await;
        assert_eq!(seen.status, StatusCode::OK);
        assert!(!seen.text.contains("资金链"), "{path}: {}", seen.text);
    }
    let page = t
        .get_page(&format!("/investors/{id}"), &t.cookie("enterprise").await)
        .await;
    assert!(!page.texts("main").join(" ").contains("资金链"));
    let office = t
        .get(&format!("/api/v1/investors/{id}"), Some(&leader))
        .await;
    assert!(office.text.contains("资金链"));
}
