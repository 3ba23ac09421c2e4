# Administration: masters, users, reports.

masters-title = Masters (⏳ waiting for approval, ✅ active, ⛔ inactive):
masters-empty = No masters yet.
button-add-master = ➕ Add a master
button-approve = ✅ Approve
button-activate = ▶️ Activate
button-deactivate = ⛔ Deactivate
master-card =
    Master { $name }
    Telegram ID: { $telegramId }
    Phone: { $phone }
    Specialization: { $specialization }
    { $approved }, { $active }
master-approved = approved
master-pending = waiting for approval
master-active = active
master-inactive = inactive
done-master-approve = Master approved.
done-master-activate = Master activated.
done-master-deactivate = Master deactivated.
add-master-telegram-id = Share the master's contact (📎 → Contact) or send their Telegram ID (they see it by writing to this bot).
add-master-phone = The master's phone number?
add-master-specialization = Specialization (for example: washing machines, dishwashers)?
add-master-done = Master added. Approve them to start assigning orders.
add-master-exists = This Telegram user is already a master.

users-title = Users (press one to change roles):
user-card =
    { $name }
    Telegram ID: { $telegramId }
    Roles: { $roles }
    Press a role to grant or take it away.
done-roles = Roles saved.

report-choose = Report for which period?
period-day = Today
period-week = This week
period-month = This month
period-custom = Dates…
report-ask-dates = Send the period, for example: 01.12.2026 - 06.12.2026, 1.12-6.12 or 1-6 December.
report-title = Report { $first } – { $last }
report-created = Orders created: { $total }
report-closed =
    Orders closed: { $orders }
    Revenue { $revenue }, materials { $materials }, net { $net }
    Masters' share { $master }, company's share { $company }
    Average order value: { $average }
report-masters = By master:
report-master-line = { $name }: completed { $completed }, closed { $closed }, revenue { $revenue }, master's share { $share }
report-more-in-file = …and { $count } more in the file.
button-xlsx = 📄 XLSX file
report-file-caption = Closed orders of the period.
