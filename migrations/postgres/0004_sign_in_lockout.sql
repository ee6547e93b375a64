-- Consecutive failed sign-ins per account, and until when (Unix seconds) it is locked.
ALTER TABLE users ADD COLUMN failed_sign_ins BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN locked_until BIGINT;
