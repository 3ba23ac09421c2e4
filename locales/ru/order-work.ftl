# Работа с заказом из карточки: перенос, правка, история, удаление, отмена мастером.

card-rescheduled = Переносов: { $count }, последняя причина: { $reason }
button-reschedule = 🕒 Перенести
button-history = 📜 История
reschedule-ask-time = Когда приехать по заказу №{ $id }? Например: «завтра в 14», «в пятницу после обеда», «с 10 до 16», «25 декабря 10:30».
reschedule-unreadable = Не понял время «{ $text }». Напишите, например: «завтра в 14», «15.12 10:30» или «с 10 до 16».
reschedule-past = { $when } уже прошло. Укажите время впереди.
reschedule-ask-reason = Понял: { $when }. Причина переноса?
reschedule-confirm = Перенести заказ №{ $id } на { $when }?
    Причина: { $reason }
rescheduled-to = Визит перенесён: { $when }.
done-reschedule = Визит перенесён.
