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
report-refusal-fees =
    Отказов с оплатой: { $orders }, оплачено { $fee } (мастерам { $master }, компании { $company })
    Вместе с заказами: выручка { $revenue }, доля мастеров { $masterTotal }, доля компании { $companyTotal }
report-masters = По мастерам:
report-master-line = { $name }: выполнено { $completed }, закрыто { $closed }, выручка { $revenue }, доля мастера { $share }
report-master-fees = , отказов с оплатой { $orders } (доля мастера { $share })
report-more-in-file = …и ещё { $count } в файле.
button-xlsx = 📄 Файл XLSX
report-file-caption = Закрытые заказы за период.

button-owed = 💰 К сдаче
owed-title = Кто сколько должен сдать (нажмите мастера, чтобы принять деньги):
owed-none = Сдавать нечего: все выполненные заказы закрыты.
owed-master-button = { $name }: { $amount } за { $count } { $count ->
        [one] заказ
        [few] заказа
       *[many] заказов
    }
owed-master-title = К сдаче { $amount } за { $count } { $count ->
        [one] заказ
        [few] заказа
       *[many] заказов
    }:
owed-order-line = № { $id }: { $amount }
owed-more = …и ещё { $count }.
button-settle = ✅ Принять { $amount }
settled = Принято { $amount } за { $count } { $count ->
        [one] заказ
        [few] заказа
       *[many] заказов
    } (сдача № { $id }); заказы закрыты.

catalog-title = Виды техники (нажмите, чтобы изменить; ⛔ — не предлагается для новых заказов):
button-catalog-add = ➕ Добавить вид
button-catalog-up = ⬆️ Выше
button-catalog-off = ⛔ Отключить
button-catalog-on = ✅ Включить
button-catalog-rename = ✏️ Переименовать
button-catalog-back = ↩️ К списку
catalog-active = предлагается для новых заказов
catalog-inactive = отключён: не предлагается для новых заказов
catalog-card =
    { $nameRu } ({ $code })
    В карточке заказа: { $singularRu }
    English: { $nameEn } / { $singularEn }
    Состояние: { $state }
catalog-ask-names = Отправьте названия через «;»: во множественном числе; в единственном; по-английски во множественном; в единственном. «-» оставляет название как было. Например: Вытяжки; Вытяжка; Hoods; Hood
catalog-ask-new = Отправьте код и названия через «;»: код латиницей; во множественном числе; в единственном; по-английски во множественном; в единственном. Например: hood; Вытяжки; Вытяжка; Hoods; Hood
catalog-invalid = Не получилось разобрать { $part }. Проверьте и отправьте ещё раз.
catalog-part-code = код (латинские строчные буквы, цифры и «_»)
catalog-part-name_ru = название во множественном числе
catalog-part-singular_ru = название в единственном числе
catalog-part-name_en = английское название во множественном числе
catalog-part-singular_en = английское название в единственном числе
catalog-added = Вид техники добавлен.

summary-title = 📋 Сводка за { $date }
summary-created = Новых заказов за день: { $count }
summary-active = Активных заказов: { $count }
summary-by-equipment = Активные по технике:

button-workbook-settlement = 📗 Сверка по мастерам
button-workbook-masters = 📙 Статистика мастеров
button-workbook-active = 📘 Активные заказы
button-workbook-mine = 📄 Мой отчёт за месяц
workbook-caption-settlement = Сверка: сводка по мастерам и лист на каждого мастера.
workbook-caption-masters = Статистика мастеров с причинами отказов.
workbook-caption-active = Активные заказы: сводка и лист на каждого мастера.
workbook-caption-mine = Ваши активные и выполненные заказы.

rules-title = Правила расчёта доли мастера (действуют сейчас):
rule-default = По умолчанию
rule-off = выкл.
rule-line =
    { $type } (версия { $version })
    Ниже { $threshold } чистыми: { $below }%, от { $threshold }: { $above }%
    За отзыв: { $review }, за город: { $away }
    Старшему мастеру не меньше { $floor }%
rule-ask = Отправьте новые условия через «;»: порог; % ниже порога; % от порога; за отзыв (% или «выкл»); за город (% или «выкл»); минимум старшего мастера %. Например: 7000; 40; 50; 10; выкл; 50. Уже выполненные заказы не пересчитываются.
rule-invalid = Не получилось разобрать условия (или сумма ставки с надбавками больше 100%). Проверьте и отправьте ещё раз.
rule-saved = Новая версия правила сохранена; она действует для заказов, выполненных с этой минуты.
rules-fee-title = Оплата за отказ на месте (выезд, диагностика) делится по своему правилу:
rule-refusal-fee = Оплата за отказ
rule-fee-saved = Новая версия правила для оплаты за отказ сохранена; она действует для отказов с этой минуты, прошлые не пересчитываются.
button-rules = 📐 Правила расчёта
report-chart-caption = Заказы и выручка по дням, доли мастеров.
# Качество работы мастера: оценки клиентов и приезд вовремя (отчёты, карточка мастера).
quality-line = оценка клиентов: { $rating }; приезд вовремя: { $onTime }
quality-rating = { $average } ({ $count } { $count ->
    [one] оценка
    [few] оценки
   *[other] оценок
})
quality-rating-none = оценок нет
quality-on-time = { $percent }% ({ $onTime } из { $visits })
quality-on-time-none = визитов по времени нет
decimal-separator = ,
