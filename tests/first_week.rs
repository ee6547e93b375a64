//! The rough edges a county office meets in its first week (issue 11, part 4), each as a user
//! meets it: through the pages and the API of a server loaded with the demo county.

mod common;

use axum::http::{StatusCode, header};
use common::spawn_app;
use serde_json::json;

fn location(reply: &common::Reply) -> String {
    reply.headers[header::LOCATION]
        .to_str()
        .expect("location")
        .to_string()
}

/// The stage bar shows 在谈 once a project has been there, with the date it got there.
#[tokio::test]
async fn the_stage_bar_shows_negotiating_with_its_date() {
    let t = spawn_app().await;
    let token = t.token("officer").await;
    let p = t.create_project(&token, "阶段条测试项目", 8000).await;
    let id = p["id"].as_i64().unwrap();
    let moved = t
        .transition(
            &token,
            id,
            json!({"to": "negotiating", "date": "2026-02-03"}),
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.text);
    assert_eq!(moved.json()["negotiating_on"], "2026-02-03");
    let cookie = t.cookie("officer").await;
    let page = t.get_page(&format!("/projects/{id}"), &cookie).await;
    let steps = page.texts("ol.milestones li");
    assert_eq!(steps.len(), 8, "{steps:?}");
    assert_eq!(steps[1], "在谈 2026-02-03", "{steps:?}");
    let reached = page.texts("ol.milestones li.reached");
    assert_eq!(
        reached,
        vec!["线索 2026-01-05".to_string(), "在谈 2026-02-03".to_string()]
    );
}

/// A closed project (终止, 退出, 否决) is never flagged as stale and sorts after every active
/// one when the list is ordered by staleness.
#[tokio::test]
async fn closed_projects_are_not_stale() {
    let t = spawn_app().await;
    let token = t.token("officer").await;
    let created = t
        .post_json(
            "/api/v1/projects",
            Some(&token),
            &json!({"name": "早已否决的项目", "investor_name": "某投资公司", "industry_code": "38",
                    "total_investment": {"yuan": 10_000_000, "currency": "CNY"},
                    "lead_on": "2019-01-05"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let id = created.json()["id"].as_i64().unwrap();
    let closed = t
        .transition(
            &token,
            id,
            json!({"to": "rejected", "date": "2019-02-01", "reason": "不符合园区准入条件"}),
        )
        .await;
    assert_eq!(closed.status, StatusCode::OK, "{}", closed.text);

    // The stalest first: it would lead the list (no progress since 2019) were it active.
    let stale = t
        .get("/api/v1/projects?sort=stale&per_page=100", Some(&token))
        .await
        .json();
    let first = &stale["items"][0];
    assert_ne!(
        first["id"].as_i64(),
        Some(id),
        "a closed project is not the stalest"
    );
    assert!(
        !["terminated", "exited", "rejected"].contains(&first["stage"].as_str().unwrap()),
        "{first}"
    );
    let total = stale["total"].as_i64().unwrap();
    let last_page = (total + 99) / 100;
    let last = t
        .get(
            &format!("/api/v1/projects?sort=stale&per_page=100&page={last_page}"),
            Some(&token),
        )
        .await
        .json();
    let last_items = last["items"].as_array().unwrap();
    let tail_stages: Vec<&str> = last_items
        .iter()
        .rev()
        .take_while(|p| p["id"].as_i64() != Some(id))
        .map(|p| p["stage"].as_str().unwrap())
        .collect();
    assert!(
        tail_stages
            .iter()
            .all(|s| ["terminated", "exited", "rejected"].contains(s)),
        "only closed projects come after it: {tail_stages:?}"
    );

    let cookie = t.cookie("officer").await;
    let page = t.get_page(&format!("/projects/{id}"), &cookie).await;
    let progress = page.texts("dd").join(" ");
    assert!(!progress.contains("无新进展"), "{progress}");
    let list = t.get_page("/projects?q=早已否决的项目", &cookie).await;
    let cells = list.texts("table.list tbody tr td");
    assert_eq!(cells.last().map(String::as_str), Some("—"), "{cells:?}");
    assert!(list.attrs("td.idle-long", "class").is_empty());
}

/// A page past the end of a list goes to its last page.
#[tokio::test]
async fn a_page_past_the_end_goes_to_the_last_page() {
    let t = spawn_app().await;
    let cookie = t.cookie("leader").await;
    let far = t.get_page("/projects?stage=lead&page=999", &cookie).await;
    assert_eq!(far.status, StatusCode::SEE_OTHER);
    let to = location(&far);
    assert!(to.starts_with("/projects?stage=lead&page="), "{to}");
    let last = t.get_page(&to, &cookie).await;
    assert_eq!(last.status, StatusCode::OK);
    let pager = last.texts("nav.pager span").join("");
    let (shown, of) = pager
        .trim_start_matches("第 ")
        .trim_end_matches(" 页")
        .split_once(" / ")
        .unwrap();
    assert_eq!(shown, of, "{pager}");
    assert!(!last.texts("table.list tbody tr td a").is_empty());
    for path in ["/investors?page=999", "/leads?page=999", "/visits?page=999"] {
        let far = t.get_page(path, &cookie).await;
        assert_eq!(far.status, StatusCode::SEE_OTHER, "{path}");
        assert!(!location(&far).contains("999"), "{path}");
    }
}

/// An unknown address keeps the navigation for whoever is signed in.
#[tokio::test]
async fn an_unknown_address_keeps_the_navigation() {
    let t = spawn_app().await;
    let cookie = t.cookie("officer").await;
    let page = t.get_page("/nowhere/at-all", &cookie).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.texts("header nav a").iter().any(|a| a == "项目库"));
    assert!(page.texts("main").join("").contains("页面不存在"));
    let anonymous = t.send(
        axum::http::Request::get("/nowhere")
            .body(axum::body::Body::empty())
            .unwrap(),
    );
    let anonymous = anonymous.await;
    assert_eq!(anonymous.status, StatusCode::NOT_FOUND);
    assert!(anonymous.texts("header nav a").is_empty());
}

/// Areas accept their units as money accepts 万 and 亿: "120亩", "8公顷", "5000平方米".
#[tokio::test]
async fn areas_are_typed_with_their_units() {
    let t = spawn_app().await;
    let cookie = t.cookie("officer").await;
    let created = t
        .post_form(
            "/projects",
            Some(&cookie),
            &[
                ("name", "带单位面积的项目"),
                ("investor_name", "测试投资有限公司"),
                ("industry_code", "39"),
                ("total_investment", "3.5亿"),
                ("currency", "CNY"),
                ("land_area", "120亩"),
                ("building_area", "5000平方米"),
                ("lead_on", "2026-03-01"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.text);
    let page = t.get_page(&location(&created), &cookie).await;
    let facts = page.texts("dd").join(" | ");
    assert!(facts.contains("120.00 亩（80,000 ㎡）"), "{facts}");
    assert!(facts.contains("| 5,000 ㎡ |"), "{facts}");
    let refused = t
        .post_form(
            "/projects",
            Some(&cookie),
            &[
                ("name", "面积写错的项目"),
                ("investor_name", "测试投资有限公司"),
                ("industry_code", "39"),
                ("total_investment", "3000"),
                ("currency", "CNY"),
                ("land_area", "约120亩"),
                ("lead_on", "2026-03-01"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.texts(".error").join("").contains("用地面积"));
    // Shown again at /projects, the form is still the menu's 录入项目.
    assert_eq!(refused.texts("header nav a.current"), vec!["录入项目"]);
    let list = t.get_page("/projects", &cookie).await;
    assert_eq!(list.texts("header nav a.current"), vec!["项目库"]);
    assert_eq!(
        refused.attrs("input[name=land_area]", "value"),
        vec!["约120亩"]
    );
}

/// A project entered late can have its 录入日期 corrected, back to no later than the first
/// stage change or note that followed; the correction is audited.
#[tokio::test]
async fn the_entry_date_is_corrected_while_the_history_stays_in_order() {
    let t = spawn_app().await;
    let token = t.token("officer").await;
    let p = t.create_project(&token, "补录的项目", 5000).await;
    let id = p["id"].as_i64().unwrap();
    let path = format!("/api/v1/projects/{id}");
    let earlier = t
        .patch_json(
            &path,
            Some(&token),
            &json!({"version": 1, "lead_on": "2025-11-20"}),
        )
        .await;
    assert_eq!(earlier.status, StatusCode::OK, "{}", earlier.text);
    let earlier = earlier.json();
    assert_eq!(earlier["lead_on"], "2025-11-20");
    assert_eq!(earlier["stage_since"], "2025-11-20");
    let history = t.get(&format!("{path}/events"), Some(&token)).await.json();
    let created = history
        .as_array()
        .or(history["items"].as_array())
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "created")
        .cloned()
        .unwrap();
    assert_eq!(created["effective_date"], "2025-11-20");

    let moved = t
        .transition(
            &token,
            id,
            json!({"to": "negotiating", "date": "2025-12-10"}),
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.text);
    let version = moved.json()["version"].as_i64().unwrap();
    let past_the_move = t
        .patch_json(
            &path,
            Some(&token),
            &json!({"version": version, "lead_on": "2025-12-11"}),
        )
        .await;
    assert_eq!(past_the_move.status, StatusCode::UNPROCESSABLE_ENTITY);
    let problem = past_the_move.json();
    assert_eq!(problem["errors"][0]["field"], "lead_on");
    assert!(
        problem["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("2025-12-10"),
        "{problem}"
    );
    let bad = t
        .patch_json(
            &path,
            Some(&token),
            &json!({"version": version, "lead_on": "2025-13-01"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.content_type, "application/problem+json");

    // On the page: the edit form shows it, and a bad one is kept as typed.
    let cookie = t.cookie("officer").await;
    let form = t.get_page(&format!("/projects/{id}/edit"), &cookie).await;
    assert_eq!(
        form.attrs("input[name=lead_on]", "value"),
        vec!["2025-11-20"]
    );
    t.assert_audit_intact().await;
}

/// The same project for the same investor is not recorded twice by mistake: the API answers
/// 409 listing it unless `confirm_duplicate`, the page shows it and asks.
#[tokio::test]
async fn a_project_recorded_twice_is_flagged_before_it_is_saved() {
    let t = spawn_app().await;
    let token = t.token("officer").await;
    let body = |investor: &str, confirm: Option<bool>| {
        let mut b = json!({"name": "年产10万套智能门窗项目", "investor_name": investor,
                           "industry_code": "33",
                           "total_investment": {"yuan": 200_000_000, "currency": "CNY"}});
        if let Some(c) = confirm {
            b["confirm_duplicate"] = json!(c);
        }
        b
    };
    let first = t
        .post_json(
            "/api/v1/projects",
            Some(&token),
            &body("福建恒安门窗有限公司", None),
        )
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
    let first_id = first.json()["id"].as_i64().unwrap();
    // Same name (spaces and width aside), same company but for its form.
    let mut again = body("福建恒安门窗公司", None);
    again["name"] = json!("年产10万套智能门窗项目 ");
    let twice = t.post_json("/api/v1/projects", Some(&token), &again).await;
    assert_eq!(twice.status, StatusCode::CONFLICT, "{}", twice.text);
    assert_eq!(twice.content_type, "application/problem+json");
    let problem = twice.json();
    assert_eq!(problem["candidates"][0]["id"].as_i64(), Some(first_id));
    assert!(problem["detail"].as_str().unwrap().contains("同名项目"));
    // Another investor's project of that name is no duplicate.
    let other = t
        .post_json(
            "/api/v1/projects",
            Some(&token),
            &body("厦门另一家门窗有限公司", None),
        )
        .await;
    assert_eq!(other.status, StatusCode::CREATED, "{}", other.text);
    let confirmed = t
        .post_json(
            "/api/v1/projects",
            Some(&token),
            &body("福建恒安门窗有限公司", Some(true)),
        )
        .await;
    assert_eq!(confirmed.status, StatusCode::CREATED, "{}", confirmed.text);

    // The page lists it and asks; ticking the box records it.
    let cookie = t.cookie("officer").await;
    let form = [
        ("name", "年产10万套智能门窗项目"),
        ("investor_name", "福建恒安门窗有限公司"),
        ("industry_code", "33"),
        ("total_investment", "20000"),
        ("currency", "CNY"),
    ];
    let asked = t.post_form("/projects", Some(&cookie), &form).await;
    assert_eq!(asked.status, StatusCode::CONFLICT);
    let listed = asked.texts("#duplicates li a");
    assert!(listed.iter().all(|n| n == "年产10万套智能门窗项目") && !listed.is_empty());
    assert_eq!(
        asked.attrs("input[name=confirm_duplicate]", "value"),
        vec!["1"]
    );
    assert_eq!(
        asked.attrs("input[name=investor_name]", "value"),
        vec!["福建恒安门窗有限公司"],
        "what was typed is kept"
    );
    let mut confirmed = form.to_vec();
    confirmed.push(("confirm_duplicate", "1"));
    let saved = t.post_form("/projects", Some(&cookie), &confirmed).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text);
}

/// Converting a lead asks for the project's name, links the 客商库 record of its investor (or
/// records one), and credits a referrer only when one is chosen.
#[tokio::test]
async fn a_lead_converts_into_a_named_project_with_its_investor_and_chosen_referrer() {
    let t = spawn_app().await;
    let officer = t.token("officer").await;
    let investor = t
        .post_json(
            "/api/v1/investors",
            Some(&officer),
            &json!({"name": "宁波北仑精工机械有限公司", "kind": "private"}),
        )
        .await;
    assert_eq!(investor.status, StatusCode::CREATED, "{}", investor.text);
    let investor_id = investor.json()["id"].as_i64().unwrap();
    let referrer = t
        .post_json(
            "/api/v1/referrers",
            Some(&officer),
            &json!({"kind": "person", "name": "陈立群", "affiliation": "宁波玉田商会"}),
        )
        .await;
    let referrer_id = referrer.json()["id"].as_i64().unwrap();
    let lead = t
        .post_json(
            "/api/v1/leads",
            Some(&officer),
            &json!({"title": "听商会说北仑精工想在南方建个新能源电池壳体厂",
                    "investor_name": "宁波北仑精工机械公司", "source": "商会座谈会",
                    "industry_code": "38",
                    "amount": {"yuan": 300_000_000, "currency": "CNY"}}),
        )
        .await;
    assert_eq!(lead.status, StatusCode::CREATED, "{}", lead.text);
    let lead_id = lead.json()["id"].as_i64().unwrap();

    // The page asks for the name (starting from the lead's sentence) and offers the record.
    let cookie = t.cookie("officer").await;
    let page = t.get_page(&format!("/leads/{lead_id}"), &cookie).await;
    let name = page.attrs("form[action$=convert] input[name=name]", "value");
    assert_eq!(name, vec!["听商会说北仑精工想在南方建个新能源电池壳体厂"]);
    let offered = page.texts("select[name=investor_id] option");
    assert!(
        offered
            .iter()
            .any(|o| o.contains("关联客商库：宁波北仑精工机械有限公司")),
        "{offered:?}"
    );
    let chosen = page.attrs("select[name=investor_id] option[selected]", "value");
    assert_eq!(chosen, vec![investor_id.to_string()]);
    assert_eq!(
        page.attrs("select[name=referrer_id] option[selected]", "value"),
        Vec::<String>::new(),
        "no referrer unless chosen"
    );

    let converted = t
        .post_json(
            &format!("/api/v1/leads/{lead_id}/convert"),
            Some(&officer),
            &json!({"to": "lead", "name": "新能源电池壳体生产项目", "referrer_id": referrer_id}),
        )
        .await;
    assert_eq!(converted.status, StatusCode::CREATED, "{}", converted.text);
    let project = converted.json();
    assert_eq!(project["name"], "新能源电池壳体生产项目");
    assert_eq!(project["investor_id"].as_i64(), Some(investor_id));
    assert_eq!(project["referrer_id"].as_i64(), Some(referrer_id));
}

/// A project's investor and 引荐人 are chosen from the 客商库 and the referrers as the user
/// types (suggestions work without scripts); a name typed as suggested links the record, and a
/// name not yet recorded stays free text.
#[tokio::test]
async fn the_project_form_links_the_investor_and_referrer_chosen_by_name() {
    let t = spawn_app().await;
    let officer = t.token("officer").await;
    let referrer = t
        .post_json(
            "/api/v1/referrers",
            Some(&officer),
            &json!({"kind": "person", "name": "郑光明", "affiliation": "玉田县驻沪联络处"}),
        )
        .await;
    let referrer_id = referrer.json()["id"].as_i64().unwrap();
    let cookie = t.cookie("officer").await;
    let form = t.get_page("/projects/new", &cookie).await;
    let investors = form.attrs("datalist#investor-names option", "value");
    assert!(
        investors.contains(&"玉田椰林包装科技有限公司".to_string()),
        "{investors:?}"
    );
    assert!(
        form.attrs("datalist#referrer-names option", "value")
            .contains(&"郑光明".to_string())
    );
    let saved = t
        .post_form(
            "/projects",
            Some(&cookie),
            &[
                ("name", "椰林包装二期项目"),
                ("investor_name", "玉田椰林包装科技有限公司"),
                ("industry_code", "22"),
                ("total_investment", "12000"),
                ("currency", "CNY"),
                ("referrer", "郑光明"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text);
    let id: i64 = location(&saved)
        .trim_start_matches("/projects/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let project = t
        .get(&format!("/api/v1/projects/{id}"), Some(&officer))
        .await
        .json();
    assert!(project["investor_id"].is_i64(), "{project}");
    assert_eq!(project["referrer_id"].as_i64(), Some(referrer_id));
    // Editing on the page keeps both links.
    let edit = t.get_page(&format!("/projects/{id}/edit"), &cookie).await;
    assert_eq!(
        edit.attrs("input[name=referrer_id]", "value"),
        vec![referrer_id.to_string()]
    );
    // A name not in the 客商库 stays free text.
    let free = t
        .post_json(
            "/api/v1/projects",
            Some(&officer),
            &json!({"name": "新客商的项目", "investor_name": "尚未登记的某某有限公司",
                    "industry_code": "22",
                    "total_investment": {"yuan": 10_000_000, "currency": "CNY"}}),
        )
        .await;
    assert_eq!(free.status, StatusCode::CREATED);
    assert_eq!(free.json()["investor_id"], json!(null));
}

/// The project export reads as a ledger: industry names, the latest progress in words, land,
/// output, tax and the 落地 date beside the rest.
#[tokio::test]
async fn the_project_export_carries_what_a_ledger_needs() {
    let t = spawn_app().await;
    let officer = t.token("officer").await;
    let p = t.create_project(&officer, "导出检查项目", 6000).await;
    let id = p["id"].as_i64().unwrap();
    let noted = t
        .post_json(
            &format!("/api/v1/projects/{id}/notes"),
            Some(&officer),
            &json!({"body": "已完成项目备案，正在办理环评", "date": "2026-02-01"}),
        )
        .await;
    assert_eq!(noted.status.as_u16() / 100, 2, "{}", noted.text);
    let cookie = t.cookie("officer").await;
    let export = t.get_page("/projects.xlsx?q=导出检查项目", &cookie).await;
    assert_eq!(export.status, StatusCode::OK);
    let rows = zhaoshang::sheet::read_rows(&export.bytes, 1 << 24, 100).unwrap();
    let headers = &rows[0].1;
    for wanted in [
        "行业名称",
        "用地面积（亩）",
        "预计年产值（万元）",
        "预计年税收（万元）",
        "落地日期",
        "最近进展情况",
    ] {
        assert!(headers.iter().any(|h| h == wanted), "{wanted}: {headers:?}");
    }
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let row = &rows[1].1;
    assert_eq!(row[column("行业名称")], "电气机械和器材制造业");
    assert_eq!(row[column("最近进展情况")], "已完成项目备案，正在办理环评");
}
