# Navigation: lists, Back, command menus, help by role.

list-line = #{ $id } · { $address } · { $time } · { $master }
list-no-time = no time set
button-to-list = « To the list

help-title = What you can do:
command-start = main menu
command-new = new order
command-orders = orders by status
command-order = an order's card: /order 42
command-search = search by phone, address or name
command-my = my orders
command-stats = my figures
command-masters = masters
command-users = users and roles
command-reports = reports
command-console = dispatcher console
command-language = change language
command-help = help
command-cancel = stop the current dialogue
command-link = link this group (admins)
notify-roles = Your roles changed: { $roles }. Commands updated, open the menu: /start
notify-roles-none = You no longer have any roles in the repair service bot.
money = { $whole }.{ $frac } ₽
money-thousands = ,
card-created = Created: { $time }
card-waited = Created: { $time } · "{ $status }" for { $waited }
duration-days = { $days } d { $hours } h
