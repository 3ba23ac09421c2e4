# Навигация: списки, «Назад», меню команд, справка по ролям.

list-line = №{ $id } · { $address } · { $time } · { $master }
list-no-time = время не назначено
button-to-list = « К списку

help-title = Что вы можете:
command-start = главное меню
command-new = новый заказ
command-orders = заказы по статусам
command-order = карточка заказа: /order 42
command-search = поиск по телефону, адресу или имени
command-my = мои заказы
command-stats = мои показатели
command-masters = мастера
command-users = пользователи и роли
command-reports = отчёты
command-console = пульт диспетчера
command-language = сменить язык
command-help = справка
command-cancel = прервать текущий диалог
command-link = подключить эту группу (администратор)
notify-roles = Ваши роли изменены: { $roles }. Команды обновлены, откройте меню: /start
notify-roles-none = У вас больше нет ролей в боте сервиса ремонта.
money = { $whole },{ $frac } ₽
money-thousands = {" "}
card-created = Создан: { $time }
card-waited = Создан: { $time } · в статусе «{ $status }» { $waited }
duration-days = { $days } д { $hours } ч
