# Уведомления: изменения заказов, напоминания, нарушения сроков, мастера.

notify-assigned = 🔔 Вам новый заказ. Примите его или откажитесь.
notify-taken-away = Заказ №{ $id } больше не назначен на вас.
notify-assign = Заказ №{ $id } назначен мастеру { $master } ({ $actor }).
notify-unassign = Заказ №{ $id }: мастер снят ({ $actor }). Заказ снова новый.
notify-decline = ✖️ { $actor } отказался от заказа №{ $id }. Причина: { $reason }. Заказ снова новый.
notify-accept = ✅ { $actor } принял заказ №{ $id }.
notify-arrive = 📍 { $actor } прибыл на место по заказу №{ $id }.
notify-resume = ▶️ { $actor } продолжил работу по заказу №{ $id }.
notify-long-repair = ⏳ Заказ №{ $id } в длительном ремонте, срок { $eta } ({ $actor }).
notify-complete = 🏁 { $actor } выполнил заказ №{ $id }: сумма { $total }, доля мастера { $share }.
notify-close = 💰 Заказ №{ $id } рассчитан и закрыт ({ $actor }).
notify-refuse = ❌ По заказу №{ $id } оформлен отказ ({ $actor }). Причина: { $reason }
notify-reopen = ♻️ Заказ №{ $id } снова в работе ({ $actor }).
notify-reschedule = 🕒 Заказ №{ $id } перенесён на { $time } ({ $actor }). Причина: { $reason }
notify-sla = ⚠️ Заказ №{ $id } в статусе «{ $status }» дольше { $hours } ч.
notify-nudge = ⏰ Клиент по заказу №{ $id } ждёт вас! Позвоните: { $phone } ({ $client }), адрес: { $address }.
notify-master-approve = ✅ Вы одобрены как мастер: заказы будут приходить сюда.
notify-master-activate = ▶️ Ваша учётная запись мастера снова активна.
notify-master-deactivate = ⛔ Ваша учётная запись мастера отключена: новых заказов пока не будет.
