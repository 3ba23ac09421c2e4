# Reminders (src/bot/reminder-messages.ts): repeated until someone acts.
reminder-minutes = { $minutes } мин
reminder-hours = { $hours } ч { $minutes } мин
reminder-open = Открыть №{ $id }
reminder-more = …и ещё { $count }
reminder-unassigned-title = ⏳ Заказы без мастера: { $count }
reminder-unassigned-line = №{ $id } · { $equipment } · { $address } · ждёт { $waiting }
reminder-unassigned-hint = Назначьте мастера из карточки заказа.
reminder-accept = ⏰ Заказ №{ $id } назначен вам { $waiting } назад и ждёт ответа. Примите его или откажитесь.
reminder-accept-group = ⏰ { $master }, заказ №{ $id } ({ $equipment }) ждёт вашего ответа уже { $waiting }. Примите его или откажитесь.
reminder-accept-dispatcher-title = ⏰ Мастер ещё не принял заказ: { $count }
reminder-accept-dispatcher-line = №{ $id } · { $master } · ждёт { $waiting }
reminder-visit = 🚗 Через { $left } выезд по заказу №{ $id } ({ $time }). Подготовьтесь к выезду.
