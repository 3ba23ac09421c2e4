# Навигация: списки, «Назад», меню команд, справка по ролям.

list-line = №{ $id } · { $address } · { $time } · { $master }
list-no-time = время не назначено
button-to-list = « К списку
