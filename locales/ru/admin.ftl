# Администрирование: мастера, пользователи, отчёты.

masters-title = Мастера (⏳ ждёт одобрения, ✅ активен, ⛔ отключён):
masters-empty = Мастеров пока нет.
button-add-master = ➕ Добавить мастера
button-approve = ✅ Одобрить
button-activate = ▶️ Включить
button-deactivate = ⛔ Отключить
master-card =
    Мастер { $name }
    Telegram ID: { $telegramId }
    Телефон: { $phone }
    Специализация: { $specialization }
    { $approved }, { $active }
master-approved = одобрен
master-pending = ждёт одобрения
master-active = активен
master-inactive = отключён
done-master-approve = Мастер одобрен.
done-master-activate = Мастер включён.
done-master-deactivate = Мастер отключён.
add-master-telegram-id = Поделитесь контактом мастера (📎 → Контакт) или отправьте его Telegram ID (он увидит его, написав этому боту).
add-master-phone = Телефон мастера?
add-master-specialization = Специализация (например: стиральные машины, посудомойки)?
add-master-done = Мастер добавлен. Одобрите его, чтобы назначать заказы.
add-master-exists = Этот пользователь Telegram уже мастер.

users-title = Пользователи (нажмите, чтобы изменить роли):
user-card =
    { $name }
    Telegram ID: { $telegramId }
    Роли: { $roles }
    Нажмите роль, чтобы выдать или снять её.
done-roles = Роли сохранены.

report-choose = Отчёт за какой период?
period-day = Сегодня
period-week = Эта неделя
period-month = Этот месяц
period-custom = Даты…
report-ask-dates = Отправьте период, например: 01.12.2026 - 06.12.2026, 1.12-6.12 или с 1 по 6 декабря.
report-title = Отчёт { $first } – { $last }
report-created = Создано заказов: { $total }
report-closed =
    Закрыто заказов: { $orders }
    Выручка { $revenue }, материалы { $materials }, чистыми { $net }
    Доля мастеров { $master }, доля компании { $company }
    Средний чек: { $average }
report-masters = По мастерам:
report-master-line = { $name }: выполнено { $completed }, закрыто { $closed }, выручка { $revenue }, доля мастера { $share }
report-more-in-file = …и ещё { $count } в файле.
button-xlsx = 📄 Файл XLSX
report-file-caption = Закрытые заказы за период.
