use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

/// Returns freed memory to the system (glibc kept the password hasher's 19 MiB buffers).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_env("ZHAOSHANG_LOG")
                .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    zhaoshang::cli::run().await
}
