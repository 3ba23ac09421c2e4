# Navigation: lists, Back, command menus, help by role.

list-line = #{ $id } · { $address } · { $time } · { $master }
list-no-time = no time set
button-to-list = « To the list
