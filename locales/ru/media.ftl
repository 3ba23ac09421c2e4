# Фото и документы заказа, метка адреса и отметка мастера на месте.

media-usage = Напишите номер заказа: { $command } 123
media-stage-appliance = 📷 Техника
media-stage-before = 🔧 До работ
media-stage-after = ✅ После работ
media-stage-document = 📄 Документ
media-choose-stage = Что прикрепить к заказу №{ $id }?
media-send = { $stage }: отправьте фото или файлы (можно несколько), затем нажмите «Готово».
media-button-done = Готово
media-saved = Сохранено.
media-already = Этот файл уже прикреплён.
media-done = К заказу №{ $id } прикреплено файлов: { $count }. Посмотреть: /photos { $id }
media-none = К заказу №{ $id } ничего не прикреплено. Добавить: /photo { $id }
media-caption = { $stage } · { $who }
places-pin-prompt = Отправьте точку адреса клиента для заказа №{ $id } (📎 → Геопозиция).
places-pinned = Адрес заказа №{ $id } отмечен на карте.
places-no-job = Отметка на месте ставится, когда вы на заказе (после «На месте»).
places-checked-in = 📍 Отметка на месте по заказу №{ $id } сохранена.
places-checked-in-staff = 📍 Мастер { $master } отметился на месте по заказу №{ $id }.
places-distance = От метки адреса: { $metres } м.
