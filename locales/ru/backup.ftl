# The daily backup (src/bot/backup-messages.ts), to admins.
backup-done = 💾 Резервная копия базы за { $day } готова: { $file }, { $size }. Удалено старых копий: { $pruned }.
backup-failed = ❌ Резервная копия базы за { $day } не создана (попытка { $attempt } из { $max }): { $error }
backup-retry = Повторю через { $minutes } мин.
backup-given-up = Попытки на сегодня исчерпаны: проверьте систему (раздел BackupFailed в docs/runbooks.md).
backup-unit-bytes = байт
backup-unit-kb = КБ
backup-unit-mb = МБ
backup-unit-gb = ГБ
