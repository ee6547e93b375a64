//! In a real headless Chromium: sign in, create a project, move it two stages, read the
//! timeline, and see a refused form keep what was typed. Screenshots go to target/screenshots/.
//! Needs `chromium` and `chromedriver` (scripts/test installs them); in CI their absence fails.

mod common;

use common::chromium::*;
use fantoccini::Locator;

#[tokio::test]
async fn an_officer_records_a_project_and_moves_it_two_stages_in_the_browser() {
    let Some((driver, binary)) = start_driver().await else {
        return;
    };
    let t = common::spawn_app().await;
    let base = serve(&t).await;
    let c = browser(&driver, &binary).await;

    // Sign in.
    c.goto(&format!("{base}/projects")).await.unwrap();
    assert!(c.current_url().await.unwrap().path().ends_with("/login"));
    fill(&c, "input[name=login]", "officer").await;
    fill(&c, "input[name=password]", common::PASSWORD).await;
    click(&c, "button[type=submit]").await;
    // An officer starts on 我的工作; the list is one click away.
    text_of(&c, "#my-figures").await;
    screenshot(&c, t.backend, "0-my-work").await;
    c.goto(&format!("{base}/projects")).await.unwrap();
    let summary = text_of(&c, "#summary").await;
    assert!(summary.contains("个项目，总投资"), "{summary}");
    screenshot(&c, t.backend, "1-list").await;

    // A bad form keeps what was typed.
    c.goto(&format!("{base}/projects/new")).await.unwrap();
    fill(&c, "input[name=name]", "年产3万吨高端钢铁制品项目").await;
    fill(&c, "input[name=investor_name]", "宁波甬钢金属制品有限公司").await;
    choose(&c, "select[name=industry_code]", "33").await;
    fill(&c, "input[name=total_investment]", "1.234567").await;
    fill(&c, "input[name=land_area]", "45").await;
    click(&c, "button.primary").await;
    let problem = text_of(&c, ".project-form .error:not(:empty)").await;
    assert_eq!(problem, "总投资最多保留4位小数（单位：万元）");
    let kept = c
        .find(Locator::Css("input[name=name]"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(kept.as_deref(), Some("年产3万吨高端钢铁制品项目"));
    let kept_amount = c
        .find(Locator::Css("input[name=total_investment]"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(kept_amount.as_deref(), Some("1.234567"));
    screenshot(&c, t.backend, "2-refused-form").await;

    // Corrected, it is saved.
    fill(&c, "input[name=total_investment]", "12000").await;
    click(&c, "button.primary").await;
    wait_text(&c, ".flash", "项目已录入。").await;
    wait_text(&c, "#stage", "线索").await;

    // Two stages on.
    click(&c, "details.move-advance summary").await;
    click(&c, "details.move-advance[open] button.primary").await;
    wait_text(&c, "#stage", "在谈").await;
    // In 在谈 both 意向签约 and 正式签约 are offered; pick 正式签约 by its summary text.
    let summaries = c
        .find_all(Locator::Css("details.move-advance summary"))
        .await
        .unwrap();
    let mut opened = false;
    for s in summaries {
        if s.text().await.unwrap().contains("正式签约") {
            s.click().await.unwrap();
            opened = true;
        }
    }
    assert!(opened, "正式签约 is offered from 在谈");
    fill(&c, "details[open] input[name=contract_amount]", "12000").await;
    click(&c, "details[open] button.primary").await;
    wait_text(&c, "#stage", "正式签约").await;
    let timeline = text_of(&c, "#timeline").await;
    assert!(timeline.contains("在谈 → 正式签约"), "{timeline}");
    assert!(timeline.contains("合同金额 1.20亿元"), "{timeline}");
    assert!(timeline.contains("线索 → 在谈"), "{timeline}");
    assert!(timeline.contains("陈晓东"), "{timeline}");
    screenshot(&c, t.backend, "3-detail").await;

    c.close().await.unwrap();
}

#[tokio::test]
async fn another_towns_officer_cannot_open_the_project_by_url() {
    let Some((driver, binary)) = start_driver().await else {
        return;
    };
    let t = common::spawn_app().await;
    let base = serve(&t).await;
    let id = t.a_park_project().await;
    let c = browser(&driver, &binary).await;
    c.goto(&format!("{base}/login")).await.unwrap();
    fill(&c, "input[name=login]", "officer_town1").await;
    fill(&c, "input[name=password]", "wrong-password").await;
    click(&c, "button[type=submit]").await;
    wait_text(&c, ".problem", "账号或密码不正确").await;
    fill(&c, "input[name=password]", common::PASSWORD).await;
    click(&c, "button[type=submit]").await;
    text_of(&c, "#my-figures").await;
    c.goto(&format!("{base}/projects/{id}")).await.unwrap();
    wait_text(&c, ".problem", "项目不存在，或不在您的管辖范围内").await;
    c.close().await.unwrap();
}

#[tokio::test]
async fn a_locked_account_sees_why_and_a_system_administrator_sees_no_business_menu() {
    let Some((driver, binary)) = start_driver().await else {
        return;
    };
    let t = common::spawn_app_with(zhaoshang::config::Config {
        lockout_attempts: 2,
        ..Default::default()
    })
    .await;
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
    t.app
        .add_user(
            "auditor",
            "审计员",
            zhaoshang::domain::user::Role::Auditor,
            "yutian_county",
            common::PASSWORD,
            false,
        )
        .await
        .unwrap();
    let base = serve(&t).await;
    let c = browser(&driver, &binary).await;
    c.goto(&format!("{base}/login")).await.unwrap();
    // Each attempt waits for its own answer: typing into the page still being replaced would
    // touch elements that vanish under the driver.
    for answer in ["账号或密码不正确", "已被锁定"] {
        fill(&c, "input[name=login]", "officer").await;
        fill(&c, "input[name=password]", "Wrong-Pass-1").await;
        click(&c, "button[type=submit]").await;
        wait_containing(&c, ".problem", answer).await;
    }
    screenshot(&c, t.backend, "4-locked").await;

    fill(&c, "input[name=login]", "sysadmin").await;
    fill(&c, "input[name=password]", common::PASSWORD).await;
    click(&c, "button[type=submit]").await;
    wait_text(&c, "h1", "单位与账号").await;
    wait_containing(&c, "main", "officer_town1").await;
    let business = c
        .find_all(Locator::Css("a[href=\"/projects/new\"]"))
        .await
        .unwrap();
    assert!(
        business.is_empty(),
        "a system administrator sees no business menu"
    );
    screenshot(&c, t.backend, "5-sysadmin").await;

    // A new account: a bad login is refused beside the field with the rest kept, then the
    // corrected form shows the one-time password.
    fill(&c, "#new-account input[name=login]", "zhang san").await;
    fill(&c, "#new-account input[name=name]", "张三").await;
    choose(&c, "#new-account select[name=unit]", "town_houhu").await;
    click(&c, "#new-account button.primary").await;
    wait_containing(&c, "#new-account .error:not(:empty)", "账号须为").await;
    let kept = c
        .find(Locator::Css("#new-account input[name=name]"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(kept.as_deref(), Some("张三"));
    fill(&c, "#new-account input[name=login]", "zhangsan").await;
    click(&c, "#new-account button.primary").await;
    wait_text(&c, "h1", "账号已新建").await;
    let password = text_of(&c, "#one-time-password").await;
    assert!(password.len() >= 12, "{password}");
    screenshot(&c, t.backend, "6-one-time-password").await;

    // The auditor finds the failed sign-ins that locked the officer.
    click(&c, "header form.inline button").await;
    wait_text(&c, "h1", "登录").await;
    fill(&c, "input[name=login]", "auditor").await;
    fill(&c, "input[name=password]", common::PASSWORD).await;
    click(&c, "button[type=submit]").await;
    wait_text(&c, "h1", "审计日志").await;
    choose(&c, "select[name=action]", "sign_in_failed").await;
    fill(&c, "input[name=actor]", "officer").await;
    click(&c, "form.filters button.primary").await;
    wait_containing(&c, "p.totals", "共 2 条记录").await;
    let table = text_of(&c, "table.list tbody").await;
    assert_eq!(table.matches("登录失败").count(), 2, "{table}");
    screenshot(&c, t.backend, "7-audit").await;
    c.close().await.unwrap();
}

#[tokio::test]
async fn an_officer_is_warned_of_a_probable_duplicate_investor_and_confirms() {
    let Some((driver, binary)) = start_driver().await else {
        return;
    };
    let t = common::spawn_app().await;
    let base = serve(&t).await;
    let c = browser(&driver, &binary).await;
    c.goto(&format!("{base}/login")).await.unwrap();
    fill(&c, "input[name=login]", "officer").await;
    fill(&c, "input[name=password]", common::PASSWORD).await;
    click(&c, "button[type=submit]").await;
    text_of(&c, "#my-figures").await;
    c.goto(&format!("{base}/investors/new")).await.unwrap();
    fill(&c, "input[name=name]", "玉田椰林包装科技 有限责任公司").await;
    choose(&c, "select[name=kind]", "foreign").await;
    fill(&c, "input[name=contact_name_0]", "王芳").await;
    fill(&c, "input[name=contact_phone_0]", "13800138000").await;
    click(&c, "button.primary").await;
    wait_containing(&c, "#duplicate", "名称相近").await;
    let kept = c
        .find(Locator::Css("input[name=contact_phone_0]"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(kept.as_deref(), Some("13800138000"));
    screenshot(&c, t.backend, "8-duplicate-investor").await;
    click(&c, "input[name=confirm_duplicate]").await;
    click(&c, "button.primary").await;
    wait_text(&c, ".flash", "客商已登记。").await;
    let contacts = text_of(&c, "#contacts").await;
    assert!(contacts.contains("王芳"), "{contacts}");
    c.close().await.unwrap();
}

#[tokio::test]
async fn an_officer_submits_a_lead_and_converts_it_into_a_project() {
    let Some((driver, binary)) = start_driver().await else {
        return;
    };
    let t = common::spawn_app().await;
    let base = serve(&t).await;
    let c = browser(&driver, &binary).await;
    c.goto(&format!("{base}/login")).await.unwrap();
    fill(&c, "input[name=login]", "officer").await;
    fill(&c, "input[name=password]", common::PASSWORD).await;
    click(&c, "button[type=submit]").await;
    text_of(&c, "#my-figures").await;
    c.goto(&format!("{base}/leads/new")).await.unwrap();
    fill(&c, "input[name=title]", "新能源电池壳体生产线").await;
    fill(&c, "input[name=investor_name]", "宁波某精密制造有限公司").await;
    fill(&c, "input[name=amount]", "20000").await;
    choose(&c, "select[name=channel]", "business").await;
    click(&c, "button.primary").await;
    wait_text(&c, ".flash", "线索已提交。").await;
    wait_text(&c, "#lead-status", "待分派").await;

    // Converting without an industry is refused beside the field, the form still open.
    click(&c, "details.move-advance summary").await;
    choose(&c, "details.move-advance select[name=to]", "negotiating").await;
    click(&c, "details.move-advance button.primary").await;
    wait_containing(
        &c,
        "details.move-advance[open] .error:not(:empty)",
        "所属行业",
    )
    .await;
    choose(
        &c,
        "details.move-advance[open] select[name=industry_code]",
        "38",
    )
    .await;
    click(&c, "details.move-advance[open] button.primary").await;
    wait_text(&c, ".flash", "线索已转为项目。").await;
    wait_text(&c, "#stage", "在谈").await;
    let from = text_of(&c, "#from-lead").await;
    assert!(from.starts_with("线索"), "{from}");
    screenshot(&c, t.backend, "9-converted-lead").await;
    c.close().await.unwrap();
}

#[tokio::test]
async fn an_officer_imports_an_investor_list_with_errors_in_the_browser() {
    let Some((driver, binary)) = start_driver().await else {
        return;
    };
    let t = common::spawn_app().await;
    let base = serve(&t).await;
    let file = std::env::temp_dir().join(format!("zs-import-{}.xlsx", std::process::id()));
    let rows = [
        ["浏览器导入测试外资公司", "", "外资"],
        ["校验位错误公司", "91350100M000100Y44", "民营"],
    ];
    let bytes = zhaoshang::sheet::write_sheet(
        "Sheet1",
        &["企业名称", "统一社会信用代码", "企业性质"],
        rows.iter().map(|r| {
            r.iter()
                .map(|c| zhaoshang::sheet::Cell::from(*c))
                .collect::<Vec<_>>()
        }),
    )
    .unwrap();
    std::fs::write(&file, bytes).unwrap();
    let c = browser(&driver, &binary).await;
    c.goto(&format!("{base}/login")).await.unwrap();
    fill(&c, "input[name=login]", "officer").await;
    fill(&c, "input[name=password]", common::PASSWORD).await;
    click(&c, "button[type=submit]").await;
    text_of(&c, "#my-figures").await;
    c.goto(&format!("{base}/imports/new?kind=investors"))
        .await
        .unwrap();
    c.find(Locator::Css("input[type=file]"))
        .await
        .unwrap()
        .send_keys(&file.display().to_string())
        .await
        .unwrap();
    click(&c, "button.primary").await;
    wait_containing(
        &c,
        "#import-summary",
        "可导入 1 行，疑似重复 0 行，有问题 1 行",
    )
    .await;
    // Every row is shown with its status; the bad one says what is wrong in which cell.
    let rows = text_of(&c, "#import-rows").await;
    assert!(
        rows.contains("可导入") && rows.contains("有问题") && rows.contains("校验位不正确"),
        "{rows}"
    );
    screenshot(&c, t.backend, "10-import-preview").await;
    click(&c, "#confirm-import").await;
    wait_text(&c, ".flash", "已导入 1 条。").await;
    let _ = std::fs::remove_file(&file);
    c.close().await.unwrap();
}
