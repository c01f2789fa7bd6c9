-- Bearer tokens in force: name, role and the SHA-256 of the token (never the token).
SELECT name, role, token_sha256 FROM api_tokens WHERE revoked_at IS NULL ORDER BY id
