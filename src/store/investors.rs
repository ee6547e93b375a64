//! The 客商库 tables: investors and their contacts.

use super::{Bind, Conn, SqlBuilder};
use crate::domain::ids::{InvestorId, UnitId, UserId};
use crate::domain::investor::{Contact, InvestorFields, InvestorKind};
use crate::domain::money::{Currency, Money};
use crate::domain::user::UnitPath;
use sqlx::Row;

pub use crate::domain::records::investor::{Candidate, Investor};

const SELECT: &str = "SELECT i.id, i.name, i.credit_code, i.kind, i.country, i.origin_city, \
     i.fortune_global_500, i.fortune_china_500, i.listed, i.industry_code, i.website, i.notes, \
     i.intended_investment_yuan, i.intended_currency, i.unit_id, un.name AS unit_name, un.path AS unit_path, i.merged_into, i.version, \
     i.created_at, i.updated_at FROM investors i JOIN units un ON un.id = i.unit_id";

fn from_row(r: &sqlx::any::AnyRow) -> sqlx::Result<Investor> {
    let kind_key: String = r.try_get("kind")?;
    let kind = InvestorKind::parse(&kind_key).ok_or_else(|| sqlx::Error::ColumnDecode {
        index: "kind".into(),
        source: format!("unknown investor kind {kind_key}").into(),
    })?;
    Ok(Investor {
        id: InvestorId(r.try_get("id")?),
        name: r.try_get("name")?,
        credit_code: r.try_get("credit_code")?,
        kind,
        kind_label: kind.label(),
        country: r.try_get("country")?,
        origin_city: r.try_get("origin_city")?,
        fortune_global_500: r.try_get::<i64, _>("fortune_global_500")? != 0,
        fortune_china_500: r.try_get::<i64, _>("fortune_china_500")? != 0,
        listed: r.try_get::<i64, _>("listed")? != 0,
        industry_code: r.try_get("industry_code")?,
        website: r.try_get("website")?,
        intended_investment: intended_of(r)?,
        notes: r.try_get("notes")?,
        unit_id: UnitId(r.try_get("unit_id")?),
        unit_name: r.try_get("unit_name")?,
        unit_path: UnitPath(r.try_get("unit_path")?),
        merged_into: r.try_get::<Option<i64>, _>("merged_into")?.map(InvestorId),
        version: r.try_get("version")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
        contacts: Vec::new(),
    })
}

/// 意向投资 as stored: an amount and its currency, both or neither.
fn intended_of(r: &sqlx::any::AnyRow) -> sqlx::Result<Option<Money>> {
    let yuan: Option<i64> = r.try_get("intended_investment_yuan")?;
    let code: Option<String> = r.try_get("intended_currency")?;
    Ok(match (yuan, code) {
        (Some(yuan), Some(code)) => Some(Money::new(
            yuan,
            Currency::parse(&code).ok_or_else(|| sqlx::Error::ColumnDecode {
                index: "intended_currency".into(),
                source: format!("unknown currency {code}").into(),
            })?,
        )),
        _ => None,
    })
}

pub async fn by_id(conn: &mut Conn, id: InvestorId) -> sqlx::Result<Option<Investor>> {
    let sql = format!("{SELECT} WHERE i.id = $1");
    let Some(row) = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id.0)
        .fetch_optional(&mut *conn)
        .await?
    else {
        return Ok(None);
    };
    let mut investor = from_row(&row)?;
    investor.contacts = contacts_of(conn, id).await?;
    Ok(Some(investor))
}

async fn contacts_of(conn: &mut Conn, id: InvestorId) -> sqlx::Result<Vec<Contact>> {
    sqlx::query(
        "SELECT name, title, phone, email, wechat FROM investor_contacts \
         WHERE investor_id = $1 ORDER BY position, id",
    )
    .bind(id.0)
    .fetch_all(conn)
    .await?
    .iter()
    .map(|r| {
        Ok(Contact {
            name: r.try_get("name")?,
            title: r.try_get("title")?,
            phone: r.try_get("phone")?,
            email: r.try_get("email")?,
            wechat: r.try_get("wechat")?,
        })
    })
    .collect()
}

fn flag(b: bool) -> i64 {
    i64::from(b)
}

pub async fn insert(
    conn: &mut Conn,
    f: &InvestorFields,
    unit_id: UnitId,
    created_by: Option<UserId>,
    now: &str,
) -> sqlx::Result<InvestorId> {
    let id: i64 = sqlx::query(
        "INSERT INTO investors (name, name_key, credit_code, kind, country, origin_city, \
         fortune_global_500, fortune_china_500, listed, industry_code, website, notes, unit_id, \
         version, created_by, created_at, updated_at, intended_investment_yuan, intended_currency) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 1, $14, $15, $15, $16, $17) \
         RETURNING id",
    )
    .bind(&f.name)
    .bind(&f.name_key)
    .bind(f.credit_code.as_ref().map(|c| c.as_str().to_string()))
    .bind(f.kind.key())
    .bind(&f.country)
    .bind(&f.origin_city)
    .bind(flag(f.fortune_global_500))
    .bind(flag(f.fortune_china_500))
    .bind(flag(f.listed))
    .bind(f.industry.map(|i| i.code()))
    .bind(&f.website)
    .bind(&f.notes)
    .bind(unit_id.0)
    .bind(created_by.map(|u| u.0))
    .bind(now)
    .bind(f.intended_investment.map(|m| m.yuan))
    .bind(f.intended_investment.map(|m| m.currency.code()))
    .fetch_one(&mut *conn)
    .await?
    .try_get("id")?;
    let id = InvestorId(id);
    replace_contacts(conn, id, &f.contacts).await?;
    Ok(id)
}

/// Writes the fields if the record is still at `version`; false when someone else changed it.
pub async fn update(
    conn: &mut Conn,
    id: InvestorId,
    f: &InvestorFields,
    version: i64,
    now: &str,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE investors SET name = $1, name_key = $2, credit_code = $3, kind = $4, \
         country = $5, origin_city = $6, fortune_global_500 = $7, fortune_china_500 = $8, \
         listed = $9, industry_code = $10, website = $11, notes = $12, version = version + 1, \
         updated_at = $13, intended_investment_yuan = $16, intended_currency = $17 \
         WHERE id = $14 AND version = $15",
    )
    .bind(&f.name)
    .bind(&f.name_key)
    .bind(f.credit_code.as_ref().map(|c| c.as_str().to_string()))
    .bind(f.kind.key())
    .bind(&f.country)
    .bind(&f.origin_city)
    .bind(flag(f.fortune_global_500))
    .bind(flag(f.fortune_china_500))
    .bind(flag(f.listed))
    .bind(f.industry.map(|i| i.code()))
    .bind(&f.website)
    .bind(&f.notes)
    .bind(now)
    .bind(id.0)
    .bind(version)
    .bind(f.intended_investment.map(|m| m.yuan))
    .bind(f.intended_investment.map(|m| m.currency.code()))
    .execute(&mut *conn)
    .await?
    .rows_affected()
        == 1;
    if done {
        replace_contacts(conn, id, &f.contacts).await?;
    }
    Ok(done)
}

async fn replace_contacts(
    conn: &mut Conn,
    id: InvestorId,
    contacts: &[Contact],
) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM investor_contacts WHERE investor_id = $1")
        .bind(id.0)
        .execute(&mut *conn)
        .await?;
    for (position, c) in contacts.iter().enumerate() {
        sqlx::query(
            "INSERT INTO investor_contacts (investor_id, position, name, title, phone, email, wechat) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id.0)
        .bind(position as i64)
        .bind(&c.name)
        .bind(&c.title)
        .bind(&c.phone)
        .bind(&c.email)
        .bind(&c.wechat)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

fn candidate(r: &sqlx::any::AnyRow) -> sqlx::Result<Candidate> {
    Ok(Candidate {
        id: InvestorId(r.try_get("id")?),
        name: r.try_get("name")?,
        credit_code: r.try_get("credit_code")?,
        unit_name: r.try_get("unit_name")?,
        unit_path: UnitPath(r.try_get("unit_path")?),
    })
}

/// The live record (not merged away) holding this credit code, other than `except`.
pub async fn by_credit_code(
    conn: &mut Conn,
    code: &str,
    except: Option<InvestorId>,
) -> sqlx::Result<Option<Candidate>> {
    sqlx::query(
        "SELECT i.id, i.name, i.credit_code, un.name AS unit_name, un.path AS unit_path \
         FROM investors i JOIN units un ON un.id = i.unit_id \
         WHERE i.credit_code = $1 AND i.merged_into IS NULL AND i.id <> $2",
    )
    .bind(code)
    .bind(except.map_or(0, |e| e.0))
    .fetch_optional(conn)
    .await?
    .map(|r| candidate(&r))
    .transpose()
}

/// Live records whose names probably mean the same company.
pub async fn by_name_key(conn: &mut Conn, key: &str) -> sqlx::Result<Vec<Candidate>> {
    sqlx::query(
        "SELECT i.id, i.name, i.credit_code, un.name AS unit_name, un.path AS unit_path \
         FROM investors i JOIN units un ON un.id = i.unit_id \
         WHERE i.name_key = $1 AND i.merged_into IS NULL ORDER BY i.id",
    )
    .bind(key)
    .fetch_all(conn)
    .await?
    .iter()
    .map(candidate)
    .collect()
}

/// The records of a subtree (not merged away), at most `limit`, by name: what a "choose by
/// name" field suggests.
pub async fn in_subtree(
    conn: &mut Conn,
    scope: &UnitPath,
    limit: i64,
) -> sqlx::Result<Vec<Investor>> {
    let wanted = Search {
        scope: Some(scope.clone()),
        only: None,
        needle: None,
        kind: None,
        include_merged: false,
        limit,
        offset: 0,
    };
    Ok(search(conn, &wanted).await?.0)
}

/// Which investors a list shows.
pub struct Search {
    /// The caller's scope (a unit subtree); None for an enterprise account's single record.
    pub scope: Option<UnitPath>,
    pub only: Option<InvestorId>,
    /// A normalised fragment of the name (see `investor::name_key`), or a credit code.
    pub needle: Option<String>,
    pub kind: Option<InvestorKind>,
    pub include_merged: bool,
    pub limit: i64,
    pub offset: i64,
}

fn push_search(b: &mut SqlBuilder, s: &Search) {
    b.push(" WHERE 1 = 1");
    if let Some(scope) = &s.scope {
        b.push(" AND un.path LIKE ")
            .bind(Bind::Text(scope.subtree_pattern()));
    }
    if let Some(id) = s.only {
        b.push(" AND i.id = ").bind(Bind::Int(id.0));
    }
    if let Some(needle) = &s.needle {
        b.push(" AND (i.name_key LIKE ")
            .bind(Bind::Text(format!("%{}%", like_escape(needle))))
            .push(" ESCAPE '\\' OR i.credit_code = ")
            .bind(Bind::Text(needle.to_uppercase()))
            .push(")");
    }
    if let Some(kind) = s.kind {
        b.push(" AND i.kind = ").key_literal(kind.key());
    }
    if !s.include_merged {
        b.push(" AND i.merged_into IS NULL");
    }
}

fn like_escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// A page of investors, newest first, and how many match.
pub async fn search(conn: &mut Conn, s: &Search) -> sqlx::Result<(Vec<Investor>, i64)> {
    let mut count = SqlBuilder::new(conn);
    count.push("SELECT COUNT(*) AS n FROM investors i JOIN units un ON un.id = i.unit_id");
    push_search(&mut count, s);
    let total: i64 = count.query().fetch_one(&mut *conn).await?.try_get("n")?;
    let mut b = SqlBuilder::new(conn);
    b.push(SELECT);
    push_search(&mut b, s);
    b.push(" ORDER BY i.id DESC LIMIT ")
        .bind(Bind::Int(s.limit))
        .push(" OFFSET ")
        .bind(Bind::Int(s.offset));
    let items = b
        .query()
        .fetch_all(conn)
        .await?
        .iter()
        .map(from_row)
        .collect::<sqlx::Result<_>>()?;
    Ok((items, total))
}

/// Merges `from` into `into`: projects, contacts, enterprise accounts, leads, visits and
/// events met follow; `from` stays, marked as merged, so its history still reads. `into` takes
/// the credit code if it had none. False (and nothing changed) when either record is no longer
/// as the caller read it — merged or edited meanwhile.
pub async fn merge(
    conn: &mut Conn,
    from: &Investor,
    into: &Investor,
    now: &str,
) -> sqlx::Result<bool> {
    // Both rows are claimed first, each only at the version read: a concurrent merge or edit
    // of either leaves this one with nothing to do.
    for (id, version) in [(from.id, from.version), (into.id, into.version)] {
        let claimed = sqlx::query(
            "UPDATE investors SET version = version + 1, updated_at = $1 \
             WHERE id = $2 AND version = $3 AND merged_into IS NULL",
        )
        .bind(now)
        .bind(id.0)
        .bind(version)
        .execute(&mut *conn)
        .await?
        .rows_affected();
        if claimed != 1 {
            return Ok(false);
        }
    }
    sqlx::query("UPDATE investors SET merged_into = $1 WHERE id = $2")
        .bind(into.id.0)
        .bind(from.id.0)
        .execute(&mut *conn)
        .await?;
    if into.credit_code.is_none() && from.credit_code.is_some() {
        sqlx::query("UPDATE investors SET credit_code = $1 WHERE id = $2")
            .bind(&from.credit_code)
            .bind(into.id.0)
            .execute(&mut *conn)
            .await?;
    }
    let offset = into.contacts.len() as i64;
    sqlx::query(
        "UPDATE investor_contacts SET investor_id = $1, position = position + $2 WHERE investor_id = $3",
    )
    .bind(into.id.0)
    .bind(offset)
    .bind(from.id.0)
    .execute(&mut *conn)
    .await?;
    // A project form opened before the merge must not put the old record back.
    for sql in [
        "UPDATE projects SET investor_id = $1, version = version + 1 WHERE investor_id = $2",
        "UPDATE users SET investor_id = $1 WHERE investor_id = $2",
        "UPDATE leads SET investor_id = $1 WHERE investor_id = $2",
        "UPDATE visits SET investor_id = $1 WHERE investor_id = $2",
        // An event where both were met keeps one row.
        "UPDATE event_investors SET investor_id = $1 WHERE investor_id = $2 AND NOT EXISTS \
         (SELECT 1 FROM event_investors other \
          WHERE other.event_id = event_investors.event_id AND other.investor_id = $1)",
    ] {
        sqlx::query(sql)
            .bind(into.id.0)
            .bind(from.id.0)
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query("DELETE FROM event_investors WHERE investor_id = $1")
        .bind(from.id.0)
        .execute(&mut *conn)
        .await?;
    Ok(true)
}

/// Ids of the projects that name this investor.
pub async fn project_ids(conn: &mut Conn, id: InvestorId) -> sqlx::Result<Vec<i64>> {
    sqlx::query("SELECT id FROM projects WHERE investor_id = $1 ORDER BY id")
        .bind(id.0)
        .fetch_all(conn)
        .await?
        .iter()
        .map(|r| r.try_get("id"))
        .collect()
}
