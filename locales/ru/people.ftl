# Люди: добавление мастера, ожидание одобрения, подтверждения.

add-master-name = Как зовут мастера? (Или «Пропустить»: имя подставится из Telegram, когда он напишет боту.)
add-master-contact-no-telegram = У этого контакта нет Telegram. Отправьте его Telegram ID или поделитесь другим контактом.
master-awaiting-approval =
    Здравствуйте, { $name }! Вы зарегистрированы как мастер и ждёте одобрения администратора.
    Как только вас одобрят, здесь появятся заказы. Язык можно сменить командой /language.
sure-close = 💰 Да, рассчитать и закрыть заказ №{ $id }
sure-unassign = Да, снять мастера с заказа №{ $id }
sure-remove-role = Да, снять роль «{ $role }» ({ $name })
sure-no = « Нет, назад
last-admin = Это последний администратор: сначала назначьте администратором кого-то ещё.
button-edit-master-name = ✏️ Имя
button-edit-master-phone = ✏️ Телефон
button-edit-master-specialization = ✏️ Специализация
edit-master-ask-name = Новое имя мастера? Сейчас: { $current }
edit-master-ask-phone = Новый телефон мастера? Сейчас: { $current }
edit-master-ask-specialization = Новая специализация? Сейчас: { $current }
edit-master-done = Сохранено.
dialogue-name-edit_master = изменение данных мастера
dialogue-ended-edit_master = Изменение данных мастера отменено.
master-has-open-orders = У мастера открытых заказов: { $count }. Переназначьте их (откройте заказ → «Переназначить»), иначе они будут ждать. Отключить всё равно?
button-deactivate-anyway = ⛔ Всё равно отключить
master-role-needs-details = { $name } теперь с ролью мастера, но заказы на него назначать пока нельзя: нужны телефон и специализация.
button-register-master = 👷 Оформить мастера
