//! At phone width (390 × 844) in a real Chromium: officers work in the field. Signing in, the
//! project list, a project page with a stage change and a visit record work without sideways
//! scrolling; the menu folds behind a button; what a thumb presses is large enough.

mod common;

use common::chromium::*;

async fn no_sideways_scroll(c: &fantoccini::Client, what: &str) {
    let (page, viewport) = widths(c).await;
    assert_eq!(viewport, 390, "{what}: the viewport is a phone's");
    assert!(
        page <= viewport,
        "{what}: the page is {page} px wide on a {viewport} px screen"
    );
}

#[tokio::test]
async fn an_officer_works_from_a_phone() {
    let Some((driver, binary)) = start_driver().await else {
        return;
    };
    let t = common::spawn_app().await;
    let token = t.token("officer").await;
    let project = t.create_project(&token, "手机端测试项目", 3000).await;
    let id = project["id"].as_i64().unwrap();
    let base = serve(&t).await;
    let c = phone(&driver, &binary).await;

    // Sign in.
    c.goto(&format!("{base}/login")).await.unwrap();
    no_sideways_scroll(&c, "sign-in").await;
    fill(&c, "input[name=login]", "officer").await;
    fill(&c, "input[name=password]", common::PASSWORD).await;
    assert!(
        height(&c, "button[type=submit]").await >= 44.0,
        "a thumb-sized button"
    );
    click(&c, "button[type=submit]").await;
    text_of(&c, "#my-figures").await;
    no_sideways_scroll(&c, "我的工作").await;
    screenshot(&c, t.backend, "phone-1-my-work").await;

    // The menu is folded behind its button, and opens on a tap.
    assert!(shown(&c, ".menu-button").await, "the menu button shows");
    assert!(
        !shown(&c, "header nav a[href='/projects']").await,
        "the menu starts folded"
    );
    click(&c, ".menu-button").await;
    assert!(
        shown(&c, "header nav a[href='/projects']").await,
        "the menu opens"
    );
    assert!(height(&c, "header nav a[href='/projects']").await >= 40.0);
    screenshot(&c, t.backend, "phone-2-menu").await;
    click(&c, "header nav a[href='/projects']").await;
    let summary = text_of(&c, "#summary").await;
    assert!(summary.contains("个项目"), "{summary}");
    no_sideways_scroll(&c, "the project list").await;
    screenshot(&c, t.backend, "phone-3-list").await;

    // A project page, and a stage change from it.
    c.goto(&format!("{base}/projects/{id}")).await.unwrap();
    text_of(&c, "#stage").await;
    no_sideways_scroll(&c, "a project page").await;
    click(&c, "details.move-advance summary").await;
    click(&c, "details.move-advance[open] button.primary").await;
    wait_text(&c, "#stage", "在谈").await;
    no_sideways_scroll(&c, "a project page after a stage change").await;
    screenshot(&c, t.backend, "phone-4-project").await;

    // A visit, recorded in the field.
    c.goto(&format!("{base}/visits/new")).await.unwrap();
    no_sideways_scroll(&c, "the visit form").await;
    fill(&c, "input[name=place]", "宁波").await;
    fill(
        &c,
        "input[name=investor_side]",
        "宁波海曙精密制造有限公司 王总",
    )
    .await;
    fill(
        &c,
        "textarea[name=purpose]",
        "了解扩产计划，介绍园区标准厂房",
    )
    .await;
    click(&c, "input[name=participants]").await;
    click(&c, "form button.primary").await;
    wait_containing(&c, "main", "了解扩产计划").await;
    no_sideways_scroll(&c, "a visit record").await;
    screenshot(&c, t.backend, "phone-5-visit").await;
    c.close().await.unwrap();
}
