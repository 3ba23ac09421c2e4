# Диалоги: шаги, «Назад», отмена, повтор вопроса.

button-back = « Назад
button-change = ✏️ { $what }
menu-again = Главное меню:
dialogue-reask = Сейчас идёт { $dialogue }. Ответьте на последний вопрос или нажмите «Отмена».
dialogue-not-an-answer = Это не ответ на вопрос. Повторю его:
create-field-equipment = Техника
create-field-description = Неисправность
create-field-client_name = Клиент
create-field-client_address = Адрес
create-field-client_phone = Телефон
create-field-notes = Примечания
create-field-time = Время
create-time-impossible = Такой даты или времени не бывает. Отправьте дату и время, например { $example }.
create-time-past = Это время уже прошло. Отправьте будущее время, например { $example }.

dialogue-name-create_order = создание заказа
dialogue-name-refuse_order = оформление отказа
dialogue-name-decline_order = отказ от заказа
dialogue-name-long_repair = длительный ремонт
dialogue-name-complete_order = завершение заказа
dialogue-name-add_master = добавление мастера
dialogue-name-search = поиск
dialogue-name-report_period = выбор периода отчёта

dialogue-ended-create_order = Черновик заказа отменён.
dialogue-ended-refuse_order = Оформление отказа отменено.
dialogue-ended-decline_order = Отказ от заказа отменён: заказ остаётся за вами.
dialogue-ended-long_repair = Длительный ремонт не оформлен.
dialogue-ended-complete_order = Завершение заказа отменено: заказ не завершён.
dialogue-ended-add_master = Добавление мастера отменено.
dialogue-ended-search = Поиск отменён.
dialogue-ended-report_period = Выбор периода отменён.
report-dates-format = Не понял период. Примеры: 01.12.2026 - 06.12.2026, 1.12-6.12, с 1 по 6 декабря.
report-dates-impossible = Такой даты нет: проверьте день и месяц.
report-dates-reversed = Период наоборот: первый день ({ $first }) позже последнего ({ $last }).
report-dates-too-long = Период длиннее года: выберите не больше 366 дней.
invalid-date-past = Эта дата уже прошла. Отправьте будущую дату, например { $example }.
dialogue-name-client_message = сообщение диспетчеру
dialogue-name-client_comment = отзыв
dialogue-name-attach_files = добавление фото и документов
dialogue-name-pin_place = отметка места
dialogue-ended-client_message = Сообщение не отправлено.
dialogue-ended-client_comment = Отзыв не отправлен.
dialogue-ended-attach_files = Добавление файлов завершено.
dialogue-ended-pin_place = Отметка места отменена.
