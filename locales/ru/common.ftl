# Общие тексты: меню, справка, язык, ошибки, кнопки, статусы, роли.

stranger =
    Здравствуйте! Это бот сервиса ремонта, он работает только для сотрудников.

    Контакты: { $contact }

    Ваш Telegram ID: { $id }
menu =
    Здравствуйте, { $name }! Ваши роли: { $roles }.
    Выберите действие:
language-set = Язык изменён. Ваши роли: { $roles }.
language-choose = Выберите язык:
cancelled = Отменено.
nothing-to-cancel = Нечего отменять.
unknown-input = Не понял. Вот меню:
use-buttons = Пожалуйста, воспользуйтесь кнопками выше.

menu-new = ➕ Новый заказ
menu-orders = 📋 Заказы
menu-search = 🔎 Поиск
menu-my = 🧰 Мои заказы
menu-stats = 📈 Мои показатели
menu-masters = 👷 Мастера
menu-users = 👥 Пользователи
menu-reports = 📊 Отчёты
menu-language = 🌐 Язык

button-cancel = Отмена
button-confirm = ✅ Подтвердить
button-skip = Пропустить
button-yes = Да
button-no = Нет
button-next = Далее »
button-first = « В начало
button-open = Открыть заказ
button-refresh = 🔄 Обновить
button-invalid = Эта кнопка недействительна.
button-stale = Эта кнопка устарела.

error-generic = Извините, у нас что-то пошло не так. Попробуйте ещё раз через минуту.
error-forbidden = У вас нет прав на это действие.
error-not-found = Не найдено: возможно, удалено или это не ваш заказ.
error-conflict = В текущем состоянии заказа это невозможно.
error-stale = Только что это изменил кто-то другой. Нажмите «Обновить», чтобы увидеть текущее состояние.
error-stale-status = Заказ №{ $id } тем временем изменился: теперь он «{ $status }». Ничего не сделано.
error-invalid = Проверьте введённые данные

invalid-text = Отправьте непустой текст (до 200 символов).
invalid-reason = Напишите причину (от 1 до 1000 символов).
invalid-amount = Отправьте сумму, например 2500 или 2500,50.
invalid-date = Отправьте дату, например { $example }.
invalid-telegram-id = Telegram ID это положительное число, например 123456789.

role-ADMIN = администратор
role-DISPATCHER = диспетчер
role-MASTER = мастер
role-SENIOR_MASTER = старший мастер
role-none = без роли

status-NEW = Новый
status-ASSIGNED = Назначен
status-ACCEPTED = Принят
status-IN_PROGRESS = В работе
status-LONG_REPAIR = Длительный ремонт
status-COMPLETED = Выполнен
status-CLOSED = Закрыт
status-REFUSED = Отказ
