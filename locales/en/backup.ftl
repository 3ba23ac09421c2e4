# The daily backup (src/bot/backup-messages.ts), to admins.
backup-done = 💾 Database backup for { $day } is ready: { $file }, { $size }. Old backups deleted: { $pruned }.
backup-failed = ❌ Database backup for { $day } failed (attempt { $attempt } of { $max }): { $error }
backup-retry = Trying again in { $minutes } min.
backup-given-up = No attempts left today: check the system (BackupFailed in docs/runbooks.md).
backup-unit-bytes = bytes
backup-unit-kb = KB
backup-unit-mb = MB
backup-unit-gb = GB
