//! The server-rendered pages, without a browser.

mod common;

use axum::http::{StatusCode, header};
use common::{PASSWORD, spawn_app};

#[tokio::test]
async fn signing_in_sets_a_strict_httponly_cookie_and_signing_out_ends_the_session() {
    let t = spawn_app().await;
    let reply = t
        .post_form(
            "/login",
            None,
            &[("login", "officer"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let set = reply
        .headers
        .get(header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Strict"),
        "{set}"
    );
    let cookie = set.split(';').next().unwrap().to_string();
    assert_eq!(
        t.get_page("/projects", &cookie).await.status,
        StatusCode::OK
    );
    let out = t.post_form("/logout", Some(&cookie), &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    let after = t.get_page("/projects", &cookie).await;
    assert_eq!(
        after.status,
        StatusCode::SEE_OTHER,
        "the old cookie no longer opens pages"
    );
}

#[tokio::test]
async fn a_wrong_password_shows_the_message_and_keeps_the_login() {
    let t = spawn_app().await;
    let reply = t
        .post_form(
            "/login",
            None,
            &[("login", "officer"), ("password", "wrong")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert!(reply.text.contains("账号或密码不正确"));
    assert!(reply.text.contains("value=\"officer\""));
}

#[tokio::test]
async fn a_refused_project_form_names_each_problem_and_keeps_what_was_typed() {
    let t = spawn_app().await;
    let cookie = t.cookie("officer").await;
    let reply = t
        .post_form(
            "/projects",
            Some(&cookie),
            &[
                ("name", ""),
                ("investor_name", "宁波<b>某</b>机械有限公司"),
                ("industry_code", "34"),
                ("total_investment", "12.345678"),
                ("land_area", "八十"),
                ("jobs", "300"),
                ("notes", "客商要求标准厂房"),
                ("lead_on", "2099-01-01"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    for message in [
        "项目名称不能为空",
        "总投资最多保留4位小数（单位：万元）",
        "用地面积（亩）须为数字（单位：亩）",
        "录入日期不能晚于今天",
    ] {
        assert!(reply.text.contains(message), "missing {message}");
    }
    for kept in [
        "value=\"12.345678\"",
        "value=\"八十\"",
        "value=\"300\"",
        "客商要求标准厂房",
        "<option value=\"34\" selected>",
    ] {
        assert!(reply.text.contains(kept), "lost {kept}");
    }
    assert!(
        reply
            .text
            .contains("宁波&#60;b&#62;某&#60;/b&#62;机械有限公司")
            || reply.text.contains("宁波&lt;b&gt;某"),
        "typed HTML is escaped"
    );
}

#[tokio::test]
async fn a_project_is_created_moved_and_noted_through_the_pages() {
    let t = spawn_app().await;
    let cookie = t.cookie("officer").await;
    let created = t
        .post_form(
            "/projects",
            Some(&cookie),
            &[
                ("name", "页面录入测试项目"),
                ("investor_name", "测试投资有限公司"),
                ("industry_code", "39"),
                ("total_investment", "15000"),
                ("currency", "CNY"),
                ("land_area", "80"),
                ("lead_on", "2026-03-01"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.text);
    let location = created
        .headers
        .get(header::LOCATION)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    let path = location.split('?').next().unwrap().to_string();
    let page = t.get_page(&location, &cookie).await;
    assert!(page.text.contains("项目已录入"));
    assert!(page.text.contains("1.50亿元"));
    assert!(page.text.contains("80.00 亩（53,333 ㎡）"));

    let moved = t
        .post_form(
            &format!("{path}/transitions"),
            Some(&cookie),
            &[
                ("to", "negotiating"),
                ("date", "2026-03-10"),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER);
    let refused = t
        .post_form(
            &format!("{path}/transitions"),
            Some(&cookie),
            &[
                ("to", "contracted"),
                ("date", "2026-03-20"),
                ("contract_amount", "abc"),
                ("version", "2"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text.contains("合同金额须为数字"));
    assert!(
        refused.text.contains("value=\"abc\""),
        "the typed amount is kept"
    );
    let stale = t
        .post_form(
            &format!("{path}/transitions"),
            Some(&cookie),
            &[
                ("to", "contracted"),
                ("date", "2026-03-20"),
                ("contract_amount", "15000"),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.text.contains("已被他人修改"));

    let noted = t
        .post_form(
            &format!("{path}/notes"),
            Some(&cookie),
            &[("body", "客商来园区实地考察"), ("date", "2026-03-15")],
        )
        .await;
    assert_eq!(noted.status, StatusCode::SEE_OTHER);
    let page = t.get_page(&path, &cookie).await;
    assert!(page.text.contains("线索 → 在谈"));
    assert!(page.text.contains("客商来园区实地考察"));
    let empty_note = t
        .post_form(
            &format!("{path}/notes"),
            Some(&cookie),
            &[("body", "  "), ("date", "2026-03-15")],
        )
        .await;
    assert_eq!(empty_note.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty_note.text.contains("进展情况不能为空"));
}

#[tokio::test]
async fn the_list_page_shows_totals_and_the_four_batches() {
    let t = spawn_app().await;
    let cookie = t.cookie("leader").await;
    let page = t.get_page("/projects", &cookie).await;
    assert_eq!(page.status, StatusCode::OK);
    for text in [
        "储备一批",
        "签约一批",
        "开工一批",
        "投产一批",
        "亿元以上项目",
        "个项目，总投资",
        "无进展天数",
    ] {
        assert!(page.text.contains(text), "{text}");
    }
    let reserve = t.get_page("/projects?batch=reserve", &cookie).await;
    assert!(
        !reserve.text.contains("stage-construction\""),
        "储备一批 holds no project under construction"
    );
    let bad = t.get_page("/projects?from=2026-02-30", &cookie).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text.contains("起始日期格式不正确"));
    assert!(bad.text.contains("value=\"2026-02-30\""));
}

#[tokio::test]
async fn another_towns_project_answers_not_found_and_pages_carry_security_headers() {
    let t = spawn_app().await;
    let id = t.a_park_project().await;
    let cookie = t.cookie("officer_town1").await;
    let page = t.get_page(&format!("/projects/{id}"), &cookie).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.text.contains("项目不存在，或不在您的管辖范围内"));
    let csp = page
        .headers
        .get(header::CONTENT_SECURITY_POLICY)
        .unwrap()
        .to_str()
        .unwrap();
    assert!(csp.contains("frame-ancestors 'none'"));
    assert_eq!(page.headers.get(header::X_FRAME_OPTIONS).unwrap(), "DENY");
    assert_eq!(
        t.get_page("/nowhere", &cookie).await.status,
        StatusCode::NOT_FOUND
    );
}

/// Each record kept on a page can be corrected there: the form shows what is stored, a save
/// with the version it was read at goes through, a stale one is refused and keeps what was
/// typed, and bad input is refused by field.
#[tokio::test]
async fn leads_visits_events_and_referrers_are_corrected_on_their_edit_pages() {
    let t = spawn_app().await;
    let officer = t.token("officer").await;
    let officer_id = t.sign_in("officer", PASSWORD).await.json()["user"]["id"].clone();
    let officer_param = officer_id.to_string();
    let cookie = t.cookie("officer").await;
    let made = |reply: common::Reply| {
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
        reply.json()["id"].as_i64().unwrap()
    };
    let lead = made(
        t.post_json(
            "/api/v1/leads",
            Some(&officer),
            &serde_json::json!({"title": "精密铸件扩产", "investor_name": "宁波某铸造公司"}),
        )
        .await,
    );
    let visit = made(
        t.post_json(
            "/api/v1/visits",
            Some(&officer),
            &serde_json::json!({"direction": "out", "visit_date": "2026-11-02", "place": "宁波",
                "investor_side": "某铸造公司", "participants": [officer_id], "purpose": "洽谈扩产"}),
        )
        .await,
    );
    let event = made(
        t.post_json(
            "/api/v1/events",
            Some(&officer),
            &serde_json::json!({"kind": "promotion", "title": "宁波专场推介会",
                "held_on": "2026-05-28", "city": "宁波", "organiser": "玉田县人民政府"}),
        )
        .await,
    );
    let referrer = made(
        t.post_json(
            "/api/v1/referrers",
            Some(&officer),
            &serde_json::json!({"kind": "person", "name": "王海涛", "contact": "13812345678"}),
        )
        .await,
    );
    // (path, stored text shown on the form, the form with one field changed, the changed
    // text, the field that must not be blank, the message when it is)
    type Case<'a> = (
        String,
        &'a str,
        Vec<(&'a str, &'a str)>,
        &'a str,
        &'a str,
        &'a str,
    );
    let cases: Vec<Case> = vec![
        (
            format!("/leads/{lead}"),
            "精密铸件扩产",
            vec![
                ("title", "精密铸件扩产二期"),
                ("investor_name", "宁波某铸造公司"),
            ],
            "精密铸件扩产二期",
            "title",
            "线索内容不能为空",
        ),
        (
            format!("/visits/{visit}"),
            "洽谈扩产",
            vec![
                ("direction", "out"),
                ("visit_date", "2026-11-02"),
                ("place", "宁波北仑"),
                ("investor_side", "某铸造公司"),
                ("participants", &officer_param),
                ("purpose", "洽谈扩产"),
            ],
            "宁波北仑",
            "place",
            "地点不能为空",
        ),
        (
            format!("/events/{event}"),
            "宁波专场推介会",
            vec![
                ("kind", "promotion"),
                ("title", "宁波专场推介会（第二场）"),
                ("held_on", "2026-05-28"),
                ("city", "宁波"),
                ("organiser", "玉田县人民政府"),
            ],
            "宁波专场推介会（第二场）",
            "title",
            "名称不能为空",
        ),
        (
            format!("/referrers/{referrer}"),
            "王海涛",
            vec![("kind", "person"), ("name", "王海涛（商会）")],
            "王海涛（商会）",
            "name",
            "姓名或名称不能为空",
        ),
    ];
    for (path, stored, form, changed, required, blank_message) in cases {
        let edit = t.get_page(&format!("{path}/edit"), &cookie).await;
        assert_eq!(edit.status, StatusCode::OK, "{path}: {}", edit.text);
        assert!(edit.text.contains(stored), "{path}");
        assert!(edit.text.contains("name=\"version\" value=\"1\""), "{path}");
        assert!(edit.text.contains(&format!("action=\"{path}\"")), "{path}");

        let with_version = |v: &'static str| {
            let mut f = form.clone();
            f.push(("version", v));
            f
        };
        let saved = t.post_form(&path, Some(&cookie), &with_version("1")).await;
        assert_eq!(
            saved.status,
            StatusCode::SEE_OTHER,
            "{path}: {}",
            saved.text
        );
        let back = format!("{path}?msg=saved");
        assert_eq!(saved.headers[header::LOCATION], back.as_str(), "{path}");
        let shown = t.get_page(&back, &cookie).await;
        assert!(shown.text.contains("修改已保存"), "{path}");
        assert!(shown.text.contains(changed), "{path}");

        // Another form read before that save: refused, what it held is shown again, and the
        // stored record keeps the save.
        let late = format!("{changed}（晚到的修改）");
        let mut stale_form = with_version("1");
        for pair in stale_form.iter_mut() {
            if pair.1 == changed {
                pair.1 = &late;
            }
        }
        let stale = t.post_form(&path, Some(&cookie), &stale_form).await;
        assert_eq!(stale.status, StatusCode::CONFLICT, "{path}: {}", stale.text);
        assert!(
            stale.text.contains("已被他人修改"),
            "{path}: {}",
            stale.text
        );
        assert!(stale.text.contains(&late), "{path}");
        let kept = t.get_page(&path, &cookie).await;
        assert!(
            kept.text.contains(changed) && !kept.text.contains(&late),
            "{path}"
        );

        let mut blank = with_version("2");
        for pair in blank.iter_mut() {
            if pair.0 == required {
                pair.1 = "";
            }
        }
        let refused = t.post_form(&path, Some(&cookie), &blank).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{path}");
        assert!(
            refused.text.contains(blank_message),
            "{path}: {}",
            refused.text
        );
        assert!(
            refused.text.contains("name=\"version\" value=\"2\""),
            "{path}"
        );
    }
    // A department reads leads but may not change them.
    t.app
        .add_user(
            "dept",
            "发改局",
            zhaoshang::domain::user::Role::Department,
            "park",
            PASSWORD,
            false,
        )
        .await
        .unwrap();
    let dept = t.cookie("dept").await;
    let denied = t.get_page(&format!("/leads/{lead}/edit"), &dept).await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
}
