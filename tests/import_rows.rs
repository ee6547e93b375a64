//! The import preview row by row: every row with its values as read, its status (valid,
//! duplicate, error) and its problems placed in their cells, paged beyond 1,000 rows; probable
//! duplicates written only when confirmed; an investor's intended investment kept with its
//! currency.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::spawn_app;
use serde_json::{Value, json};
use zhaoshang::sheet::{Cell, write_sheet};

fn sheet(headers: &[&str], rows: &[Vec<String>]) -> Vec<u8> {
    write_sheet(
        "Sheet1",
        headers,
        rows.iter()
            .map(|r| r.iter().map(|c| Cell::from(c.as_str())).collect::<Vec<_>>()),
    )
    .unwrap()
}

fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

async fn upload(t: &common::TestApp, token: &str, kind: &str, bytes: Vec<u8>) -> common::Reply {
    let req = Request::post(format!("/api/v1/imports?kind={kind}&file_name=ledger.xlsx"))
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(
            header::CONTENT_TYPE,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        .body(Body::from(bytes))
        .unwrap();
    t.send(req).await
}

fn row_of(view: &Value, n: i64) -> Value {
    view["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["row"] == n)
        .cloned()
        .unwrap_or_else(|| panic!("row {n} in {view}"))
}

#[tokio::test]
async fn every_row_is_previewed_as_read_and_duplicates_wait_for_confirmation() {
    let t = spawn_app().await;
    let officer = t.token("officer").await;
    // A two-row header: 意向投资 merged over 金额（万元） and 币种.
    let file = sheet(
        &["客商名称", "企业性质", "意向投资", "", "所属行业"],
        &[
            row(&["", "", "金额（万元）", "币种", ""]),
            row(&["宁波甬钢金属制品有限公司", "民营", "1.8亿", "", "33"]),
            row(&["新加坡丰益精密有限公司", "外资", "500", "美元", ""]),
            row(&["约数公司", "民营", "约五千万", "", ""]),
            row(&["负数公司", "民营", "-300", "", ""]),
            row(&["玉田椰林包装科技有限公司", "民营", "", "", ""]),
            row(&["宁波甬钢金属制品有限责任公司", "民营", "", "", ""]),
        ],
    );
    let reply = upload(&t, &officer, "investors", file).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    let view = reply.json();
    assert_eq!(
        (
            &view["rows_valid"],
            &view["rows_duplicate"],
            &view["rows_rejected"]
        ),
        (&json!(2), &json!(2), &json!(2)),
        "{view}"
    );
    // Every row, in sheet order, with its values as the rules read them.
    let numbers: Vec<i64> = view["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["row"].as_i64().unwrap())
        .collect();
    assert_eq!(numbers, vec![3, 4, 5, 6, 7, 8], "{view}");
    let first = row_of(&view, 3);
    assert_eq!(first["status"], "valid");
    assert_eq!(first["values"]["intended_amount"], "18,000万元", "{first}");
    assert_eq!(first["values"]["kind"], "民营企业");
    assert_eq!(first["values"]["industry_code"], "33 金属制品业");
    assert_eq!(first["errors"], json!([]));
    assert_eq!(row_of(&view, 4)["values"]["intended_amount"], "500万美元");
    // A value that cannot be read exactly is an error naming its cell and column.
    let vague = row_of(&view, 5);
    assert_eq!(vague["status"], "error");
    assert_eq!(vague["values"]["intended_amount"], "约五千万");
    assert_eq!(vague["errors"][0]["cell"], "C5", "{vague}");
    let column = vague["errors"][0]["column"].as_str().unwrap();
    assert!(
        view["columns"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["header"] == column && c["field"] == "intended_amount"),
        "{column} {}",
        view["columns"]
    );
    assert!(
        vague["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("约五千万")
    );
    let negative = row_of(&view, 6);
    assert_eq!(negative["status"], "error");
    assert!(
        negative["errors"].to_string().contains("不能为负数"),
        "{negative}"
    );
    // Probable duplicates: of the 客商库, and of a row above.
    let library = row_of(&view, 7);
    assert_eq!(library["status"], "duplicate");
    assert!(
        library["warnings"].to_string().contains("客商库"),
        "{library}"
    );
    let above = row_of(&view, 8);
    assert_eq!(above["status"], "duplicate");
    assert!(above["warnings"].to_string().contains("第 3 行"), "{above}");
    // Each status can be listed alone.
    let id = view["id"].as_i64().unwrap();
    let errors = t
        .get(
            &format!("/api/v1/imports/{id}?status=error"),
            Some(&officer),
        )
        .await
        .json();
    assert_eq!(errors["rows_total"], 2);
    assert!(
        errors["rows"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["status"] == "error")
    );

    // Only listed rows among the duplicates can be chosen.
    let wrong = t
        .post_json(
            &format!("/api/v1/imports/{id}/confirm"),
            Some(&officer),
            &json!({ "duplicate_rows": [3] }),
        )
        .await;
    assert_eq!(
        wrong.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        wrong.text
    );
    assert!(wrong.text.contains("第 3 行不是"), "{}", wrong.text);
    // The one chosen is created with the valid rows; the other is not.
    let done = t
        .post_json(
            &format!("/api/v1/imports/{id}/confirm"),
            Some(&officer),
            &json!({ "duplicate_rows": [8] }),
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text);
    assert_eq!(done.json()["rows_imported"], 3, "{}", done.text);
    let found = |q: &'static str| {
        let t = &t;
        let officer = officer.clone();
        async move {
            t.get(&format!("/api/v1/investors?q={q}"), Some(&officer))
                .await
                .json()
        }
    };
    assert_eq!(
        found("甬钢").await["total"],
        2,
        "row 3, and row 8 as chosen"
    );
    assert_eq!(
        found("椰林包装").await["total"],
        1,
        "the library's own record only"
    );
    // The intended investment is kept with its currency.
    let wilmar = found("丰益精密").await["items"][0].clone();
    assert_eq!(
        wilmar["intended_investment"],
        json!({ "yuan": 5_000_000, "currency": "USD" }),
        "{wilmar}"
    );
    let steel = found("甬钢").await;
    let steel = steel["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"] == "宁波甬钢金属制品有限公司")
        .unwrap();
    assert_eq!(steel["intended_investment"]["yuan"], 180_000_000_i64);
}

#[tokio::test]
async fn a_long_preview_is_paged_by_at_most_a_thousand_rows() {
    let t = spawn_app().await;
    let officer = t.token("officer").await;
    let rows: Vec<Vec<String>> = (1..=2_500)
        .map(|i| {
            vec![
                format!("第{i}号线索：智能装备项目"),
                format!("某装备{i}号有限公司"),
                "3000".to_string(),
            ]
        })
        .collect();
    let mut rows = rows;
    rows.push(vec![
        "第1号线索：智能装备项目".into(),
        "某装备1号有限公司".into(),
        String::new(),
    ]);
    let reply = upload(
        &t,
        &officer,
        "leads",
        sheet(&["项目名称", "投资方", "投资额（万元）"], &rows),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    let first = reply.json();
    assert_eq!(first["rows"].as_array().unwrap().len(), 1_000);
    assert_eq!(
        (&first["rows_total"], &first["pages"], &first["page"]),
        (&json!(2_501), &json!(3), &json!(1))
    );
    assert_eq!(first["rows_duplicate"], 1, "the last row repeats the first");
    let id = first["id"].as_i64().unwrap();
    let page = |q: &str| {
        let (t, officer, q) = (&t, officer.clone(), q.to_string());
        async move {
            t.get(&format!("/api/v1/imports/{id}?{q}"), Some(&officer))
                .await
        }
    };
    let third = page("page=3").await.json();
    assert_eq!(third["rows"].as_array().unwrap().len(), 501);
    assert_eq!(third["rows"][0]["row"], 2_002);
    assert_eq!(third["rows"][500]["status"], "duplicate");
    assert_eq!(
        third["rows"][500]["values"]["title"],
        "第1号线索：智能装备项目"
    );
    // Past the end: the last page. Smaller pages on request; more than 1,000 refused.
    assert_eq!(page("page=99").await.json()["page"], 3);
    let small = page("per_page=10&page=2").await.json();
    assert_eq!(small["rows"][0]["row"], 12);
    assert_eq!(small["pages"], 251);
    let big = page("per_page=5000").await;
    assert_eq!(big.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(big.content_type.contains("problem+json"));
    assert!(big.text.contains("per_page"), "{}", big.text);
    let bad = page("status=maybe").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Without a choice, the duplicate is left out.
    let done = t
        .post_json(
            &format!("/api/v1/imports/{id}/confirm"),
            Some(&officer),
            &json!({}),
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text);
    assert_eq!(done.json()["rows_imported"], 2_500);
}

#[tokio::test]
async fn the_preview_page_lists_rows_by_status_and_imports_the_ticked_duplicates() {
    let t = spawn_app().await;
    let officer = t.token("officer").await;
    let file = sheet(
        &["客商名称", "企业性质"],
        &[
            row(&["杭州华鼎电路有限公司", "民营"]),
            row(&["杭州华鼎电路有限责任公司", "民营"]),
            row(&["杭州 华鼎电路 有限公司", "民营"]),
            row(&["无类型公司", "什么"]),
        ],
    );
    let view = upload(&t, &officer, "investors", file).await.json();
    let id = view["id"].as_i64().unwrap();
    let cookie = t.cookie("officer").await;
    let page = t.get_page(&format!("/imports/{id}"), &cookie).await;
    assert_eq!(page.status, StatusCode::OK);
    // Every row is shown, each with its status; the duplicates can be ticked.
    assert_eq!(
        page.attrs("#import-rows tbody tr", "data-row"),
        ["2", "3", "4", "5"]
    );
    let statuses = page.texts("#import-rows tbody tr td:nth-child(2)");
    assert_eq!(
        statuses,
        ["可导入", "疑似重复", "疑似重复", "有问题"],
        "{}",
        page.text
    );
    assert_eq!(page.attrs("input[name=dup]", "value"), ["3", "4"]);
    let problems = page.texts("#import-rows tbody tr td.problems");
    assert!(problems[3].contains("客商类型"), "{problems:?}");
    let filters = page.texts("#row-filters a");
    assert_eq!(filters, ["全部 4", "可导入 1", "疑似重复 2", "有问题 1"]);
    let errors_only = t
        .get_page(&format!("/imports/{id}?status=error"), &cookie)
        .await;
    assert_eq!(
        errors_only.attrs("#import-rows tbody tr", "data-row"),
        ["5"]
    );

    // One duplicate ticked: it is imported with the valid row, the other is not.
    let done = t
        .post_form(
            &format!("/imports/{id}/confirm"),
            Some(&cookie),
            &[("dup", "4")],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);
    let after = t
        .get_page(&format!("/imports/{id}?msg=imported"), &cookie)
        .await;
    assert_eq!(after.texts(".flash"), ["已导入 2 条。"]);
    let total = t
        .get("/api/v1/investors?q=华鼎电路", Some(&officer))
        .await
        .json()["total"]
        .clone();
    assert_eq!(total, 2);
}

/// A lead ledger's dates, written every way offices write them, become each lead's 获取日期;
/// one that is no date, or lies in the future, is an error naming its cell.
#[tokio::test]
async fn ledger_dates_are_read_the_ways_offices_write_them() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let t = spawn_app().await;
    let officer = t.token("officer").await;
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (col, header) in ["项目名称", "投资方", "获取日期"].iter().enumerate() {
        sheet.write_string(0, col as u16, *header).unwrap();
    }
    let texts = [
        "2026.3.5",
        "2026年1月8日",
        "2026/4/2",
        "2026-13-01",
        "2099-01-01",
    ];
    for (i, date) in texts.iter().enumerate() {
        let r = i as u32 + 1;
        sheet
            .write_string(r, 0, format!("日期测试线索{r}"))
            .unwrap();
        sheet
            .write_string(r, 1, format!("日期测试{r}号公司"))
            .unwrap();
        sheet.write_string(r, 2, *date).unwrap();
    }
    // A real date cell, and a serial number left without its date format.
    sheet.write_string(6, 0, "日期测试线索6").unwrap();
    sheet.write_string(6, 1, "日期测试6号公司").unwrap();
    let day = ExcelDateTime::from_ymd(2025, 12, 8).unwrap();
    sheet
        .write_datetime_with_format(6, 2, &day, &Format::new().set_num_format("yyyy年m月d日"))
        .unwrap();
    sheet.write_string(7, 0, "日期测试线索7").unwrap();
    sheet.write_string(7, 1, "日期测试7号公司").unwrap();
    sheet.write_number(7, 2, 46100.0).unwrap();
    let bytes = book.save_to_buffer().unwrap();

    let reply = upload(&t, &officer, "leads", bytes).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    let view = reply.json();
    let read = |n: i64| row_of(&view, n)["values"]["received_on"].clone();
    assert_eq!(read(2), "2026-03-05");
    assert_eq!(read(3), "2026-01-08");
    assert_eq!(read(4), "2026-04-02");
    assert_eq!(read(7), "2025-12-08");
    assert_eq!(read(8), "2026-03-19");
    let bad = row_of(&view, 5);
    assert_eq!(bad["status"], "error");
    assert_eq!(bad["errors"][0]["cell"], "C5", "{bad}");
    assert!(
        bad["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("2026-13-01")
    );
    let future = row_of(&view, 6);
    assert_eq!(future["status"], "error");
    assert!(
        future["errors"].to_string().contains("晚于今天"),
        "{future}"
    );
    assert_eq!(future["errors"][0]["cell"], "C6", "{future}");

    let id = view["id"].as_i64().unwrap();
    let done = t
        .post_json(
            &format!("/api/v1/imports/{id}/confirm"),
            Some(&officer),
            &json!({}),
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text);
    let lead = t
        .get("/api/v1/leads?q=日期测试线索7", Some(&officer))
        .await
        .json()["items"][0]
        .clone();
    assert_eq!(lead["received_on"], "2026-03-19", "{lead}");
}
