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
report-refusal-fees =
    Refusals with a fee: { $orders }, paid { $fee } (masters { $master }, company { $company })
    With the orders: revenue { $revenue }, masters' share { $masterTotal }, company's share { $companyTotal }
report-masters = By master:
report-master-line = { $name }: completed { $completed }, closed { $closed }, revenue { $revenue }, master's share { $share }
report-master-fees = , refusals with a fee { $orders } (master's share { $share })
report-more-in-file = …and { $count } more in the file.
button-xlsx = 📄 XLSX file
report-file-caption = Closed orders of the period.

button-owed = 💰 To hand over
owed-title = What each master has to hand over (tap a master to take the money):
owed-none = Nothing to hand over: every completed order is closed.
owed-master-button = { $name }: { $amount } for { $count } { $count ->
        [one] order
       *[other] orders
    }
owed-master-title = To hand over: { $amount } for { $count } { $count ->
        [one] order
       *[other] orders
    }:
owed-order-line = No. { $id }: { $amount }
owed-more = …and { $count } more.
button-settle = ✅ Take { $amount }
settled = Took { $amount } for { $count } { $count ->
        [one] order
       *[other] orders
    } (hand-over No. { $id }); the orders are closed.

catalog-title = Equipment types (tap one to change it; ⛔ — not offered for new orders):
button-catalog-add = ➕ Add a type
button-catalog-up = ⬆️ Up
button-catalog-off = ⛔ Deactivate
button-catalog-on = ✅ Activate
button-catalog-rename = ✏️ Rename
button-catalog-back = ↩️ Back to the list
catalog-active = offered for new orders
catalog-inactive = deactivated: not offered for new orders
catalog-card =
    { $nameEn } ({ $code })
    On an order card: { $singularEn }
    Russian: { $nameRu } / { $singularRu }
    State: { $state }
catalog-ask-names = Send the names separated by ';': Russian plural; Russian singular; English plural; English singular. '-' keeps a name as it is. E.g.: Вытяжки; Вытяжка; Hoods; Hood
catalog-ask-new = Send the code and names separated by ';': code in latin letters; Russian plural; Russian singular; English plural; English singular. E.g.: hood; Вытяжки; Вытяжка; Hoods; Hood
catalog-invalid = Could not read { $part }. Please check and send it again.
catalog-part-code = the code (lowercase Latin letters, digits and "_")
catalog-part-name_ru = the Russian plural name
catalog-part-singular_ru = the Russian singular name
catalog-part-name_en = the English plural name
catalog-part-singular_en = the English singular name
catalog-added = Equipment type added.

summary-title = 📋 Summary for { $date }
summary-created = New orders today: { $count }
summary-active = Active orders: { $count }
summary-by-equipment = Active by equipment:

button-workbook-settlement = 📗 Settlement by master
button-workbook-masters = 📙 Masters' statistics
button-workbook-active = 📘 Active orders
button-workbook-mine = 📄 My report for the month
workbook-caption-settlement = Settlement: a summary by master and a sheet for each master.
workbook-caption-masters = Masters' statistics with refusal reasons.
workbook-caption-active = Active orders: a summary and a sheet for each master.
workbook-caption-mine = Your active and completed orders.

rules-title = How the master's share is computed (rules in force):
rule-default = Default
rule-off = off
rule-line =
    { $type } (version { $version })
    Under { $threshold } net: { $below }%, from { $threshold }: { $above }%
    Review: { $review }, out of city: { $away }
    A senior master gets at least { $floor }%
rule-ask = Send the new terms separated by ';': threshold; % under it; % from it; review bonus (% or 'off'); out-of-city bonus (% or 'off'); senior master's minimum %. E.g.: 7000; 40; 50; 10; off; 50. Orders already completed keep their split.
rule-invalid = Could not read the terms (or the rate plus bonuses exceeds 100%). Please check and send them again.
rule-saved = The new version is saved; it applies to orders completed from now on.
rules-fee-title = A fee paid on refusing on site (the visit, diagnostics) is split by a rule of its own:
rule-refusal-fee = Refusal fee
rule-fee-saved = The new version of the refusal-fee rule is saved; it applies to refusals from now on, past ones keep their split.
button-rules = 📐 Commission rules
report-chart-caption = Orders and revenue by day, masters' shares.
# A master's quality: clients' ratings and arriving on time (reports, the master's card).
quality-line = client rating: { $rating }; on time: { $onTime }
quality-rating = { $average } ({ $count } { $count ->
    [one] rating
   *[other] ratings
})
quality-rating-none = no ratings
quality-on-time = { $percent }% ({ $onTime } of { $visits })
quality-on-time-none = no scheduled visits
decimal-separator = .
