//! Excel: a ledger previewed row by row, imported in one transaction, rejected rows returned
//! as a sheet with reasons; lists exported; files that are not .xlsx refused.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::spawn_app;
use zhaoshang::sheet::{Cell, read_rows, write_sheet};

fn sheet(headers: &[&str], rows: &[&[&str]]) -> Vec<u8> {
    write_sheet(
        "Sheet1",
        headers,
        rows.iter()
            .map(|r| r.iter().map(|c| Cell::from(*c)).collect::<Vec<_>>()),
    )
    .unwrap()
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

async fn found(t: &common::TestApp, token: &str, q: &str) -> serde_json::Value {
    t.get(&format!("/api/v1/investors?q={q}"), Some(token))
        .await
        .json()["total"]
        .clone()
}

#[tokio::test]
async fn an_investor_list_is_previewed_imported_once_and_its_rejects_come_back_with_reasons() {
    let t = spawn_app().await;
    let officer = t.token("officer").await;
    let bytes = sheet(
        &[
            "序号",
            "企业名称",
            "统一社会信用代码",
            "企业性质",
            "所属行业",
            "联系人",
            "电话",
        ],
        &[
            &[
                "1",
                "宁波甬钢金属制品有限公司",
                "91350100M000100Y43",
                "民营",
                "33 金属制品业",
                "李强",
                "０５７４－８７６５４３２１",
            ],
            &["2", "香港华润精密（集团）", "", "港资", "", "陈伟", ""],
            &[
                "3",
                "校验位错误公司",
                "91350100M000100Y44",
                "民营",
                "",
                "",
                "",
            ],
            &[
                "4",
                "玉田椰林包装科技有限公司二厂",
                "91130229718204360E",
                "民营",
                "",
                "",
                "",
            ],
            &["5", "宁波甬钢金属制品有限责任公司", "", "外资", "", "", ""],
            &["6", "", "", "个人", "", "", ""],
        ],
    );
    let preview = upload(&t, &officer, "investors", bytes).await;
    assert_eq!(preview.status, StatusCode::CREATED, "{}", preview.text);
    let view = preview.json();
    assert_eq!(view["rows_valid"], 2, "{view}");
    assert_eq!(view["rows_rejected"], 3);
    // A similar name is a doubt, not an error: flagged, and imported only when confirmed.
    assert_eq!(view["rows_duplicate"], 1);
    let reasons = |row: i64| {
        view["rejected"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["row"] == row)
            .map(|r| r["reasons"].to_string())
            .unwrap_or_default()
    };
    assert!(reasons(4).contains("校验位不正确"), "{view}");
    assert!(reasons(5).contains("已在客商库中"));
    let row6 = view["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["row"] == 6)
        .unwrap();
    assert_eq!(row6["status"], "duplicate", "{row6}");
    assert!(row6["warnings"].to_string().contains("与第 2 行的名称相近"));
    assert!(reasons(7).contains("客商名称不能为空"));
    // Nothing is written before the confirmation.
    assert_eq!(found(&t, &officer, "甬钢").await, 0);

    let id = view["id"].as_i64().unwrap();
    let done = t
        .post_json(
            &format!("/api/v1/imports/{id}/confirm"),
            Some(&officer),
            &serde_json::json!({}),
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text);
    assert_eq!(found(&t, &officer, "甬钢").await, 1);
    assert_eq!(found(&t, &officer, "华润精密").await, 1);
    let imported = t
        .get("/api/v1/investors?q=甬钢", Some(&officer))
        .await
        .json()["items"][0]
        .clone();
    let detail = t
        .get(
            &format!("/api/v1/investors/{}", imported["id"]),
            Some(&officer),
        )
        .await
        .json();
    assert_eq!(detail["contacts"][0]["phone"], "0574-87654321");
    assert_eq!(detail["industry_code"], "33");
    // Once only.
    let again = t
        .post_json(
            &format!("/api/v1/imports/{id}/confirm"),
            Some(&officer),
            &serde_json::json!({}),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    // Someone else cannot see or confirm it.
    let other = t.token("park_leader").await;
    assert_eq!(
        t.get(&format!("/api/v1/imports/{id}"), Some(&other))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // The rejected rows as a sheet: row number, the cells as typed, the reason.
    let cookie = t.cookie("officer").await;
    let rejected = t
        .get_page(&format!("/imports/{id}/rejected.xlsx"), &cookie)
        .await;
    assert_eq!(rejected.status, StatusCode::OK);
    assert!(rejected.content_type.contains("spreadsheetml"));
    let rows = read_rows(&rejected.bytes, 1 << 24, 1000).unwrap();
    assert_eq!(rows[0].1.first().map(String::as_str), Some("原行号"));
    assert_eq!(rows[0].1.last().map(String::as_str), Some("问题"));
    assert_eq!(rows.len(), 4);
    assert!(rows[1].1.last().unwrap().contains("校验位不正确"));

    // The import is in the audit trail.
    t.add_auditor().await;
    let trail = t
        .get(
            "/api/v1/audit?action=import",
            Some(&t.token("auditor").await),
        )
        .await
        .json();
    assert_eq!(trail["items"][0]["after"]["rows"], 2);
}

#[tokio::test]
async fn a_lead_ledger_understands_amounts_in_wan_and_yi() {
    let t = spawn_app().await;
    let officer = t.token("officer").await;
    let bytes = sheet(
        &["项目名称", "投资方", "投资额（亿元）", "渠道", "备注"],
        &[
            &["新能源电池壳体", "宁波某精密公司", "1.5", "以商招商", ""],
            &["光伏支架", "某新能源公司", "3000万", "", ""],
            &["高端纸塑包装", "某包装公司", "五亿", "", ""],
            &["", "某公司", "1", "", ""],
        ],
    );
    let view = upload(&t, &officer, "leads", bytes).await.json();
    assert_eq!(view["rows_valid"], 2, "{view}");
    assert!(
        view["rejected"][0]["reasons"]
            .to_string()
            .contains("金额“五亿”无法识别")
    );
    assert!(
        view["rejected"][1]["reasons"]
            .to_string()
            .contains("线索内容不能为空")
    );
    let id = view["id"].as_i64().unwrap();
    let done = t
        .post_json(
            &format!("/api/v1/imports/{id}/confirm"),
            Some(&officer),
            &serde_json::json!({}),
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text);
    let leads = t
        .get("/api/v1/leads?q=电池壳体", Some(&officer))
        .await
        .json();
    assert_eq!(leads["items"][0]["amount"]["yuan"], 150_000_000);
    assert_eq!(leads["items"][0]["channel"], "business");
    let pv = t
        .get("/api/v1/leads?q=光伏支架", Some(&officer))
        .await
        .json();
    assert_eq!(pv["items"][0]["amount"]["yuan"], 30_000_000);
}

#[tokio::test]
async fn files_that_are_not_xlsx_damaged_or_too_large_are_refused_clearly() {
    let t = common::spawn_app_with(zhaoshang::config::Config {
        import_max_bytes: 6_000,
        ..Default::default()
    })
    .await;
    let officer = t.token("officer").await;
    let csv = upload(
        &t,
        &officer,
        "investors",
        "企业名称\n某公司\n".as_bytes().to_vec(),
    )
    .await;
    assert_eq!(csv.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(csv.json()["errors"][0]["field"], "file");
    assert!(csv.text.contains("不是 .xlsx 格式"));
    let damaged = upload(
        &t,
        &officer,
        "investors",
        b"PK\x03\x04not really a zip".to_vec(),
    )
    .await;
    assert!(damaged.text.contains("已损坏"), "{}", damaged.text);
    let big_rows: Vec<Vec<String>> = (0..400)
        .map(|i| vec![format!("某某某某科技有限公司{i}"), format!("备注{i}")])
        .collect();
    let big = write_sheet(
        "Sheet1",
        &["企业名称", "备注"],
        big_rows
            .iter()
            .map(|r| r.iter().map(|c| Cell::from(c.as_str())).collect::<Vec<_>>()),
    )
    .unwrap();
    assert!(big.len() > 6_000);
    let too_large = upload(&t, &officer, "investors", big).await;
    assert!(too_large.text.contains("文件超过"), "{}", too_large.text);
    let no_header = upload(&t, &officer, "leads", sheet(&["备注"], &[&["x"]])).await;
    assert!(
        no_header.text.contains("表头缺少必需的列"),
        "{}",
        no_header.text
    );
    let kind = upload(&t, &officer, "projects", sheet(&["备注"], &[&["x"]])).await;
    assert_eq!(kind.json()["errors"][0]["field"], "kind");
    // A department may not import.
    t.app
        .add_user(
            "dept",
            "发改局",
            zhaoshang::domain::user::Role::Department,
            "park",
            common::PASSWORD,
            false,
        )
        .await
        .unwrap();
    let dept = upload(
        &t,
        &t.token("dept").await,
        "leads",
        sheet(&["备注"], &[&["x"]]),
    )
    .await;
    assert_eq!(dept.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_upload_form_previews_a_file_and_lists_export_what_they_show() {
    let t = spawn_app().await;
    let cookie = t.cookie("officer").await;
    let session = cookie.split_once('=').unwrap().1;
    let token = zhaoshang::service::auth::form_token(session);
    let file = sheet(&["企业名称", "企业性质"], &[&["上传测试外资公司", "外资"]]);
    let boundary = "zsBoundary7MA4YWxk";
    let field = |name: &str, value: &str| {
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        )
        .into_bytes()
    };
    let mut body = Vec::new();
    body.extend_from_slice(&field("kind", "investors"));
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"客商.xlsx\"\r\n\
             Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(&file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let post = |csrf: &str, url: &str| {
        let mut sent = if csrf.is_empty() {
            Vec::new()
        } else {
            field("csrf", csrf)
        };
        sent.extend_from_slice(&body);
        Request::post(url.to_string())
            .header(header::COOKIE, &cookie)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(sent))
            .unwrap()
    };
    // Without the form token as the first field nothing happens; a token in the URL (where
    // logs and Referer headers keep it) counts for nothing.
    for (csrf, url) in [
        ("forged", "/imports".to_string()),
        ("", "/imports".to_string()),
        ("", format!("/imports?csrf={token}")),
    ] {
        let refused = t.send(post(csrf, &url)).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{csrf} {url}");
    }
    // Other pages take no multipart body at all, token or not.
    let elsewhere = t.send(post(&token, "/projects")).await;
    assert_eq!(elsewhere.status, StatusCode::FORBIDDEN);
    let sent = t.send(post(&token, "/imports")).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.text);
    let location = sent.headers[header::LOCATION].to_str().unwrap().to_string();
    let page = t.get_page(&location, &cookie).await;
    assert!(
        page.text.contains("可导入 <strong>1</strong> 行"),
        "{}",
        page.text
    );
    assert!(page.text.contains("客商.xlsx"));

    // Exports carry the list's filters.
    let export = t.get_page("/investors.xlsx?q=椰林", &cookie).await;
    assert_eq!(export.status, StatusCode::OK);
    let rows = read_rows(&export.bytes, 1 << 24, 1000).unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1].1[1], "玉田椰林包装科技有限公司");
    let officer = t.token("officer").await;
    let total = t
        .get("/api/v1/projects?stage=production", Some(&officer))
        .await
        .json()["total"]
        .as_u64()
        .unwrap() as usize;
    let projects = t.get_page("/projects.xlsx?stage=production", &cookie).await;
    let rows = read_rows(&projects.bytes, 1 << 24, 100_000).unwrap();
    assert!(total > 0, "the demo has projects in production");
    assert_eq!(rows.len(), total + 1);
    let stage = rows[0].1.iter().position(|h| h == "阶段").unwrap();
    assert!(rows[1..].iter().all(|(_, r)| r[stage] == "投产"));
}

#[tokio::test]
async fn a_long_list_is_written_whole_across_batches_with_awkward_text_intact() {
    let t = spawn_app().await;
    let officer = t.token("officer").await;
    // More rows than one part or one statement holds; text that a bulk path must not mangle.
    let rows = 10_050;
    let awkward = r#"他说"好",\路径\{1,2} NULL 'x' 😀"#;
    let cells: Vec<Vec<String>> = (0..rows)
        .map(|i| {
            vec![
                format!("批量导入测试{i}号有限公司"),
                "外资".to_string(),
                format!("联系人{i}"),
                if i % 1000 == 7 {
                    awkward.to_string()
                } else {
                    String::new()
                },
            ]
        })
        .collect();
    let bytes = write_sheet(
        "Sheet1",
        &["企业名称", "企业性质", "联系人", "备注"],
        cells
            .iter()
            .map(|r| r.iter().map(|c| Cell::from(c.as_str())).collect::<Vec<_>>()),
    )
    .unwrap();
    let view = upload(&t, &officer, "investors", bytes).await.json();
    assert_eq!(view["rows_valid"], rows, "{view}");
    let id = view["id"].as_i64().unwrap();
    let done = t
        .post_json(
            &format!("/api/v1/imports/{id}/confirm"),
            Some(&officer),
            &serde_json::json!({}),
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text);
    let done = done.json();
    let (first, last) = (
        done["first_id"].as_i64().unwrap(),
        done["last_id"].as_i64().unwrap(),
    );
    assert_eq!(last - first + 1, rows as i64);
    assert_eq!(found(&t, &officer, "批量导入测试").await, rows);
    // Every investor got its own contact, the last part's as well as the first's.
    for (n, investor) in [(7, first + 7), (10_007, first + 10_007), (10_049, last)] {
        let detail = t
            .get(&format!("/api/v1/investors/{investor}"), Some(&officer))
            .await
            .json();
        assert_eq!(detail["name"], format!("批量导入测试{n}号有限公司"));
        assert_eq!(detail["contacts"][0]["name"], format!("联系人{n}"));
        if n % 1000 == 7 {
            assert_eq!(detail["notes"], awkward);
        }
    }
}

#[tokio::test]
async fn an_import_that_now_collides_with_the_library_writes_nothing() {
    let t = spawn_app().await;
    let officer = t.token("officer").await;
    let bytes = sheet(
        &["企业名称", "企业性质"],
        &[
            &["先导入的外资公司", "外资"],
            &["后来冲突的外资公司", "外资"],
        ],
    );
    let view = upload(&t, &officer, "investors", bytes).await.json();
    assert_eq!(view["rows_valid"], 2, "{view}");
    // Someone records one of them by hand between the preview and the confirmation.
    let made = t
        .post_json(
            "/api/v1/investors",
            Some(&officer),
            &serde_json::json!({"name": "后来冲突的外资公司", "kind": "foreign"}),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.text);
    let id = view["id"].as_i64().unwrap();
    let refused = t
        .post_json(
            &format!("/api/v1/imports/{id}/confirm"),
            Some(&officer),
            &serde_json::json!({}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.text);
    assert!(refused.text.contains("第 3 行"), "{}", refused.text);
    assert!(refused.text.contains("预览之后客商库有了变化"));
    // Not even the row before it, and the preview stays unimported.
    assert_eq!(found(&t, &officer, "先导入的外资公司").await, 0);
    let after = t
        .get(&format!("/api/v1/imports/{id}"), Some(&officer))
        .await
        .json();
    assert_eq!(after["imported"], false);
}

#[tokio::test]
async fn control_characters_are_refused_by_row_and_by_field_never_a_server_fault() {
    let t = spawn_app().await;
    let officer = t.token("officer").await;
    let bytes = sheet(
        &["企业名称", "企业性质", "备注"],
        &[
            &["宁波甬钢金属制品有限公司", "外资", "正常"],
            &["杭州\u{0}华鼎电路有限公司", "外资", "名称里有 NUL"],
            &["玉田椰林包装科技有限公司", "外资", "备注\u{1}有控制符"],
        ],
    );
    let preview = upload(&t, &officer, "investors", bytes).await;
    assert_eq!(preview.status, StatusCode::CREATED, "{}", preview.text);
    let view = preview.json();
    assert_eq!(view["rows_valid"], 1, "{view}");
    let rejected = view["rejected"].as_array().unwrap();
    assert_eq!(rejected.len(), 2, "{view}");
    assert!(
        rejected[0]["reasons"][0]
            .as_str()
            .unwrap()
            .contains("A 列含有不可见的控制字符"),
        "{view}"
    );
    assert_eq!(rejected[0]["cells"][0], "杭州\u{FFFD}华鼎电路有限公司");
    assert!(
        rejected[1]["reasons"][0].as_str().unwrap().contains("C 列"),
        "{view}"
    );
    // The rejected rows download as a sheet (stored on either database).
    let id = view["id"].as_i64().unwrap();
    let cookie = t.cookie("officer").await;
    let sheet = t
        .get_page(&format!("/imports/{id}/rejected.xlsx"), &cookie)
        .await;
    assert_eq!(sheet.status, StatusCode::OK, "{}", sheet.text);
    let rows = read_rows(&sheet.bytes, 1 << 24, 10).unwrap();
    assert_eq!(rows[1].1[1], "杭州\u{FFFD}华鼎电路有限公司");

    // Through the API the field is named; nothing reaches the database.
    let investor = t
        .post_json(
            "/api/v1/investors",
            Some(&officer),
            &serde_json::json!({"name": "某\u{0}公司", "kind": "private"}),
        )
        .await;
    assert_eq!(investor.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(investor.json()["errors"][0]["field"], "name");
    let project = t.create_project(&officer, "某某项目", 500).await;
    let note = t
        .post_json(
            &format!("/api/v1/projects/{}/notes", project["id"]),
            Some(&officer),
            &serde_json::json!({"body": "已对接\u{0}"}),
        )
        .await;
    assert_eq!(
        note.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        note.text
    );
    assert_eq!(note.json()["errors"][0]["field"], "body");
    // A search for such text finds nothing rather than failing.
    let search = t.get("/api/v1/investors?q=%00", Some(&officer)).await;
    assert!(search.status.is_success() || search.status == StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn an_export_past_the_limit_is_refused_with_the_way_back_and_a_narrower_one_is_written() {
    let t = common::spawn_app_with(zhaoshang::config::Config {
        export_max_rows: 3,
        ..Default::default()
    })
    .await;
    let cookie = t.cookie("officer").await;
    let refused = t.get_page("/projects.xlsx?sort=name", &cookie).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let problem = refused.texts(".problem").join("");
    assert!(problem.contains("超过一次导出的上限 3 条"), "{problem}");
    assert!(problem.contains("缩小范围"), "{problem}");
    assert!(
        refused
            .attrs("main a, section a", "href")
            .contains(&"/projects?sort=name".to_string()),
        "{}",
        refused.text
    );
    let investors = t.get_page("/investors.xlsx", &cookie).await;
    assert_eq!(investors.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        investors
            .attrs("a", "href")
            .contains(&"/investors".to_string())
    );
    // Narrowed to what fits, the sheet is written in full.
    let token = t.token("officer").await;
    let stage = "at_capacity";
    let total = t
        .get(&format!("/api/v1/projects?stage={stage}"), Some(&token))
        .await
        .json()["total"]
        .as_u64()
        .unwrap() as usize;
    assert!((1..=3).contains(&total), "{total}");
    let narrow = t
        .get_page(&format!("/projects.xlsx?stage={stage}"), &cookie)
        .await;
    assert_eq!(narrow.status, StatusCode::OK);
    let rows = read_rows(&narrow.bytes, 1 << 24, 100).unwrap();
    assert_eq!(rows.len(), total + 1);
    // The audit trail's export is bounded the same way.
    t.add_auditor().await;
    let auditor = t.cookie("auditor").await;
    let audit = t.get_page("/audit.csv", &auditor).await;
    assert_eq!(audit.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(audit.attrs("a", "href").contains(&"/audit".to_string()));
}

/// A ledger as county offices keep it: a title above, a two-row header with 投资额 merged over
/// 金额（万元） and 币种, a blank row inside, 填表人 and 注 below. The header is found, the
/// rest is set aside and said so, and every column is listed as used or not.
#[tokio::test]
async fn a_county_ledger_with_a_title_a_two_row_header_and_footers_is_read() {
    let t = spawn_app().await;
    let officer = t.token("officer").await;
    let file = sheet(
        &["玉田县2026年招商线索台账"],
        &[
            &["序号", "项目名称", "投资方", "投资额", "", "联系人"],
            &["", "", "", "金额（万元）", "币种", ""],
            &[
                "1",
                "新能源电池壳体生产线",
                "宁波某精密制造有限公司",
                "８５００.５",
                "人民币",
                "王总",
            ],
            &[],
            &[
                "2",
                "上游纸浆配套建厂",
                "闽南某纸业有限公司",
                "1.8亿",
                "",
                "",
            ],
            &["3", "高端装备项目", "某装备有限公司", "-300", "", ""],
            &["填表人：张三", "", "审核人：李四"],
            &["注：投资额为预计数"],
        ],
    );
    let reply = upload(&t, &officer, "leads", file).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    let preview = reply.json();
    assert_eq!(preview["rows_valid"], 2, "{preview}");
    assert_eq!(
        preview["rows_rejected"], 1,
        "a negative amount is refused: {preview}"
    );
    assert!(
        preview["rejected"][0]["reasons"]
            .to_string()
            .contains("金额"),
        "{preview}"
    );
    let ignored: Vec<(i64, String)> = preview["ignored_rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["row"].as_i64().unwrap(),
                r["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let rows: Vec<i64> = ignored.iter().map(|(r, _)| *r).collect();
    assert_eq!(rows, vec![1, 5, 8, 9], "{ignored:?}");
    assert!(ignored[1].1.contains("空行") && ignored[2].1.contains("填表"));
    let columns = preview["columns"].as_array().unwrap();
    let field_of = |header: &str| {
        columns
            .iter()
            .find(|c| c["header"].as_str().unwrap_or_default().contains(header))
            .map(|c| c["field"].clone())
    };
    assert_eq!(field_of("项目名称"), Some(serde_json::json!("title")));
    assert_eq!(field_of("金额"), Some(serde_json::json!("amount")));
    assert_eq!(
        field_of("序号"),
        Some(serde_json::json!(null)),
        "{columns:?}"
    );

    // The page shows the same, and importing creates the two leads with their amounts.
    let id = preview["id"].as_i64().unwrap();
    let cookie = t.cookie("officer").await;
    let page = t.get_page(&format!("/imports/{id}"), &cookie).await;
    assert_eq!(page.texts("#import-ignored li").len(), 4);
    assert!(
        page.texts("#import-columns li")
            .iter()
            .any(|l| l.contains("序号") && l.contains("未使用"))
    );
    let done = t
        .post_json(
            &format!("/api/v1/imports/{id}/confirm"),
            Some(&officer),
            &serde_json::json!({}),
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text);
    let leads = t
        .get("/api/v1/leads?q=纸浆配套", Some(&officer))
        .await
        .json();
    assert_eq!(leads["items"][0]["amount"]["yuan"], 180_000_000_i64);
}
