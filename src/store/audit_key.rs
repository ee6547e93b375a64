//! The key the audit chain is sealed with. Each entry's MAC covers its fields and the MAC
//! before it, keyed with a secret that lives outside the database: someone who can edit the
//! audit table (a database administrator, a stolen backup) cannot recompute the chain after
//! changing, deleting or inserting an entry. The key is a file (`ZHAOSHANG_AUDIT_KEY_FILE`,
//! default `data/audit.key`), created on first start with owner-only permissions. Back it up
//! with the database and keep it apart: without it no trail can be verified.

use anyhow::Context;
use std::path::PathBuf;
use std::sync::OnceLock;

/// 32 random bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct AuditKey([u8; 32]);

impl AuditKey {
    pub fn bytes(&self) -> &[u8] {
        &self.0
    }

    fn parse(text: &str) -> anyhow::Result<AuditKey> {
        let bytes = hex::decode(text.trim()).context("审计密钥文件须为 64 位十六进制字符")?;
        let bytes: [u8; 32] = bytes
            .try_into()
            .map_err(|_| anyhow::anyhow!("审计密钥文件须为 64 位十六进制字符（32 字节）"))?;
        Ok(AuditKey(bytes))
    }
}

/// This process's key: one installation, one key, whichever databases it opens.
static KEY: OnceLock<AuditKey> = OnceLock::new();

/// Whether this process created the key file (a first start): only then may a trail that has
/// entries be sealed with it (see `store::audit::seal_with_key`).
static CREATED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// True when this process made the key file rather than finding it.
pub fn created_here() -> bool {
    CREATED.load(std::sync::atomic::Ordering::SeqCst)
}

/// Where the key file is.
pub fn key_path() -> PathBuf {
    std::env::var_os("ZHAOSHANG_AUDIT_KEY_FILE")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("data/audit.key"))
}

/// Loads the key (creating it on first start) unless this process already has it.
pub fn load() -> anyhow::Result<&'static AuditKey> {
    if let Some(key) = KEY.get() {
        return Ok(key);
    }
    // Threads of one process take turns: the first makes or reads the file, the rest find it.
    static LOADING: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _turn = LOADING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(key) = KEY.get() {
        return Ok(key);
    }
    let path = key_path();
    let key = match std::fs::read_to_string(&path) {
        Ok(text) => AuditKey::parse(&text)
            .with_context(|| format!("审计密钥文件 {} 无效", path.display()))?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => create(&path)?,
        Err(e) => {
            return Err(e).with_context(|| format!("无法读取审计密钥文件 {}", path.display()));
        }
    };
    Ok(KEY.get_or_init(|| key))
}

/// A new key file readable by its owner only, written whole under a temporary name and then
/// linked into place, so that no process ever reads a half-written key. Two processes starting
/// at once agree: the one that loses the race to link it reads the winner's.
fn create(path: &std::path::Path) -> anyhow::Result<AuditKey> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    if let Some(parent) = path.parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("无法创建目录 {}", parent.display()))?;
    }
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("无法生成审计密钥：{e}"))?;
    let mut tag = [0u8; 6];
    getrandom::fill(&mut tag).map_err(|e| anyhow::anyhow!("无法生成审计密钥：{e}"))?;
    let draft = path.with_extension(format!(
        "key.new-{}-{}",
        std::process::id(),
        hex::encode(tag)
    ));
    {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&draft)
            .with_context(|| format!("无法创建审计密钥文件 {}", draft.display()))?;
        file.write_all(hex::encode(bytes).as_bytes())?;
        file.sync_all()?;
    }
    let linked = std::fs::hard_link(&draft, path);
    let _ = std::fs::remove_file(&draft);
    match linked {
        Ok(()) => {
            CREATED.store(true, std::sync::atomic::Ordering::SeqCst);
            tracing::warn!(
                path = %path.display(),
                "created the audit key: back it up with the database, and keep it apart"
            );
            Ok(AuditKey(bytes))
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            AuditKey::parse(&std::fs::read_to_string(path)?)
        }
        Err(e) => Err(e).with_context(|| format!("无法创建审计密钥文件 {}", path.display())),
    }
}

/// The loaded key, for sealing and checking entries.
pub(super) fn key() -> sqlx::Result<&'static AuditKey> {
    load().map_err(|e| sqlx::Error::Configuration(e.into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Test threads of one process once raced to write the same draft name (CI failed with
    /// "File exists"): threads creating the key together must all end with the one key.
    #[test]
    fn threads_creating_the_key_together_agree_on_one_key() {
        let dir = std::env::temp_dir().join(format!(
            "zhaoshang-key-race-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0)
        ));
        let path = dir.join("audit.key");
        let keys: Vec<AuditKey> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..8).map(|_| scope.spawn(|| create(&path))).collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("thread").expect("key created or read"))
                .collect()
        });
        let on_disk = AuditKey::parse(&std::fs::read_to_string(&path).expect("key file")).unwrap();
        assert!(keys.iter().all(|k| *k == on_disk));
        let leftovers = std::fs::read_dir(&dir).expect("dir").count();
        assert_eq!(leftovers, 1, "no draft file is left behind");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
