# Reminders (src/bot/reminder-messages.ts): repeated until someone acts.
reminder-minutes = { $minutes } min
reminder-hours = { $hours } h { $minutes } min
reminder-open = Open #{ $id }
reminder-more = …and { $count } more
reminder-unassigned-title = ⏳ Orders without a master: { $count }
reminder-unassigned-line = #{ $id } · { $equipment } · { $address } · waiting { $waiting }
reminder-unassigned-hint = Assign a master from the order card.
reminder-accept = ⏰ Order #{ $id } was assigned to you { $waiting } ago and awaits your answer. Accept or decline it.
reminder-accept-group = ⏰ { $master }, order #{ $id } ({ $equipment }) has been waiting for your answer for { $waiting }. Accept or decline it.
reminder-accept-dispatcher-title = ⏰ Not accepted by the master yet: { $count }
reminder-accept-dispatcher-line = #{ $id } · { $master } · waiting { $waiting }
reminder-visit = 🚗 Visit for order #{ $id } in { $left } ({ $time }). Get ready to go.
