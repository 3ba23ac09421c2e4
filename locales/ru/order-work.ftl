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

history-title = История заказа №{ $id }:
history-system = система
history-for-master = {" "}(за мастера { $master })
history-note = : { $note }
history-create = заказ создан
history-edit = изменено: { $changes }
history-change = { $field } «{ $from }» → «{ $to }»
history-reschedule = перенос на { $time }
history-delete = заказ удалён
history-restore = заказ восстановлен
field-equipment_type = Техника
field-description = Неисправность
field-client_name = Клиент
field-client_address = Адрес
field-client_phone = Телефон
field-notes = Примечания
field-scheduled_at = Время
field-scheduled_until = Окно до
field-scheduled_note = Время (текстом)

button-edit = ✏️ Изменить
edit-choose = Что изменить в заказе №{ $id }?
edit-choice-equipment_type = Техника
edit-ask-equipment = Выберите тип техники:
edit-choice-description = Неисправность
edit-choice-client_name = Имя клиента
edit-choice-client_address = Адрес
edit-choice-client_phone = Телефон
edit-choice-notes = Примечания
edit-choice-time = Время визита
edit-ask-value = { $field }: сейчас «{ $current }». Отправьте новое значение.
edit-clear-hint = Отправьте «-», чтобы очистить.
edit-invalid = Не подходит для поля «{ $field }». Попробуйте ещё раз или нажмите «Отмена».
edit-saved = Изменения сохранены.
edit-stale = Пока вы правили, заказ №{ $id } изменили:
    { $changes }
    Ваша правка не сохранена. Вот заказ сейчас:

button-delete = 🗑 Удалить
button-confirm-delete = 🗑 Удалить
button-restore = ♻️ Восстановить
button-restore-id = ♻️ №{ $id }
delete-ask-reason = Почему удалить заказ №{ $id }? Причина останется в журнале.
delete-confirm = Удалить заказ №{ $id }? Он пропадёт из всех списков, восстановить можно командой /deleted.
    Причина: { $reason }
deleted = 🗑 Заказ №{ $id } удалён.
done-restore = Восстановлено.
restored = ♻️ Заказ №{ $id } восстановлен.
deleted-none = Удалённых заказов нет.
deleted-title = Удалённые заказы (последние):
deleted-line = №{ $id } · { $client } · удалён { $when } ({ $who }): { $reason }
deleted-more = Показаны последние { $count }; все — в API (GET /api/v1/deleted-orders).

button-cancel_accepted = ↩️ Отказаться от заказа
cancel_accepted-ask-reason = Почему вы отказываетесь от принятого заказа №{ $id }? Диспетчер получит причину.
done-cancel_accepted = Вы отказались от заказа, он вернулся диспетчеру.
notify-cancel-accepted = ↩️ { $actor } отказался от принятого заказа №{ $id }. Причина: { $reason }. Заказ снова новый.

client-returning = 👤 Клиент уже обращался: заказов — { $count }. Последний: №{ $id } от { $date } · { $equipment } · { $status }.
client-stored = В прошлый раз: { $name }, { $address }.
client-open-order = ⚠️ У клиента есть открытый заказ №{ $id }: возможно, новый — дубликат.
button-client-reuse = Взять имя и адрес оттуда
button-open-order = Открыть №{ $id }
client-reused = Имя и адрес взяты из прошлого заказа: { $name }, { $address }.

search-results-more = По запросу «{ $query }», с { $from } по { $to }:

team-title = Мастера на { $date } (открытые заказы на сегодня):
team-line = 👷 { $name } · { $specialization }: { $total } (назначено { $assigned }, принято { $accepted }, на месте { $in_progress }, длительный { $long_repair }); ближайший визит { $next }
team-none = Нет одобренных активных мастеров.

# Деньги после факта: отказ клиента на месте с оплатой, исправление сумм администратором.
button-client_refused = 🙅 Клиент отказался
client_refused-ask-reason = Клиент отказался от ремонта по заказу №{ $id }. Почему?
client_refused-ask-fee = Клиент заплатил за выезд или диагностику? Отправьте сумму или нажмите «Пропустить».
client_refused-no-fee = без оплаты
client_refused-fee-split = { $fee } (мастеру { $rate }%: { $master }, компании { $company })
client_refused-confirm =
    Оформить отказ клиента по заказу №{ $id }?
    Причина: { $reason }
    Оплата: { $fee }
button-back-to-complete = ↩️ Нет, это выполнение
done-client_refused = Оформлен отказ клиента на месте.
notify-client-refused = 🙅 { $actor }: клиент отказался от ремонта по заказу №{ $id }. Причина: { $reason }. Оплата: { $fee }.
card-refusal-fee = Оплата за отказ: { $fee } (мастеру { $master }, компании { $company })
complete-low-total = Сумма { $total } меньше { $below }. Может быть, это отказ клиента с оплатой за выезд?
button-low-total-refusal = 🙅 Да, отказ с оплатой
button-low-total-complete = ✅ Нет, заказ выполнен
complete-back = Завершаем заказ, сумма { $total } сохранена.

button-correct = 💰 Исправить суммы
correct-ask-total = Исправление сумм заказа №{ $id }. Сумма сейчас { $current }. Отправьте новую или нажмите «Пропустить», чтобы оставить.
correct-ask-materials = Материалы сейчас { $current }. Отправьте новую сумму или нажмите «Пропустить».
correct-ask-review = Клиент оставил отзыв? Сейчас: { $current }.
correct-ask-out-of-city = Выезд был за город? Сейчас: { $current }.
correct-ask-reason = Причина исправления? Она останется в истории и журнале.
correct-split = сумма { $total }, материалы { $materials }, ставка { $rate }%: мастеру { $master }, компании { $company }
correct-confirm =
    Исправить суммы заказа №{ $id }?
    Было: { $before }
    Станет: { $after }
    Долг мастера изменится на { $delta }.
    Причина: { $reason }
done-correct = Суммы исправлены.
notify-correct = 💰 { $actor } исправил суммы заказа №{ $id }: сумма { $total }, доля мастера { $share }. Причина: { $reason }
dialogue-ended-refuse_on_site = Отказ клиента не оформлен.
dialogue-ended-correct_order = Исправление сумм отменено: суммы прежние.
history-correct = суммы исправлены: { $changes }
field-total_amount = Сумма
field-materials_cost = Материалы
field-master_profit = Доля мастера
field-company_profit = Доля компании
field-has_review = Отзыв
field-out_of_city = За городом
