# Клиент: ссылка на заказ, новости по заказу, оценка, отмена, сообщение диспетчеру.

client-welcome = Здравствуйте! Это ваш заказ №{ $id }. Здесь мы будем сообщать, как идут дела.
client-welcome-back = Ваш заказ №{ $id }:
client-link-invalid = Ссылка недействительна или устарела. Попросите диспетчера прислать новую. { $contact }
client-not-yours = Такого заказа у вас нет.
client-too-late = Сейчас это уже нельзя сделать.
client-card = Заказ №{ $id }: { $equipment }
    Статус: { $status }
client-card-visit = Визит мастера: { $time }
client-card-master = Мастер: { $name }
client-card-pay = К оплате: { $amount } ₽
client-card-rated = Ваша оценка: { $score } из 5
client-status-NEW = принят, подбираем мастера
client-status-ASSIGNED = мастер назначен
client-status-ACCEPTED = мастер подтвердил визит
client-status-IN_PROGRESS = мастер на месте
client-status-LONG_REPAIR = длительный ремонт
client-status-COMPLETED = работа выполнена
client-status-CLOSED = работа выполнена
client-status-REFUSED = отменён
client-button-cancel = Отменить заказ
client-button-cancel-yes = Да, отменить заказ
client-button-write = ✉️ Написать диспетчеру
client-button-refresh = 🔄 Статус
client-cancel-confirm = Отменить заказ №{ $id }? Мастер не приедет.
client-cancel-reason = Клиент отменил заказ в боте
client-cancelled = Заказ №{ $id } отменён. Диспетчер получил уведомление.
client-write-prompt = Напишите сообщение одним текстом — я передам его диспетчеру.
client-write-sent = Сообщение передано диспетчеру.
client-write-cancelled = Сообщение не отправлено.
client-write-invalid = Не удалось отправить: напишите обычный текст до { $max } символов.
client-rated = Спасибо за оценку { $score } из 5! Если хотите, напишите комментарий одним сообщением.
client-comment-thanks = Спасибо, комментарий сохранён.
client-time-unknown = время уточняется
client-news-assigned = 👷 По заказу №{ $id } назначен мастер { $master }. Визит: { $time }.
client-news-accepted = ✅ Мастер { $master } подтвердил визит по заказу №{ $id }: { $time }.
client-news-on-site = 📍 Мастер { $master } на месте (заказ №{ $id }).
client-news-rescheduled = 🕒 Визит по заказу №{ $id } перенесён на { $time }.
client-news-long-repair = ⏳ По заказу №{ $id } нужен длительный ремонт, ориентировочно до { $eta }.
client-news-done = 🏁 Работа по заказу №{ $id } выполнена. К оплате: { $amount } ₽.
    Оцените, пожалуйста, работу мастера:
client-news-refused = ❌ Заказ №{ $id } отменён. Если это ошибка, напишите диспетчеру.
client-news-master-changing = По заказу №{ $id } подбираем другого мастера, мы сообщим.
client-news-reopened = ♻️ Заказ №{ $id } снова в работе.
client-cancelled-staff = ❌ Клиент отменил заказ №{ $id }. Причина: { $reason }
client-wrote-staff = ✉️ Клиент { $client } по заказу №{ $id } пишет:
    { $text }
client-low-rating-staff = ⚠️ Низкая оценка { $score } из 5 по заказу №{ $id } (мастер { $master }). Комментарий: { $comment }
client-link-for-staff = Ссылка для клиента по заказу №{ $id }: { $url }
    Отправьте её клиенту или покажите QR-код: клиент будет получать новости по заказу. Новая ссылка: /client_link { $id }
client-link-usage = Напишите номер заказа: /client_link 123
notify-client-cancel = ❌ Клиент отменил заказ №{ $id }. Причина: { $reason }
done-client_cancel = Заказ отменён по просьбе клиента.
button-client_cancel = Отменён клиентом
