# Common texts: menu, help, language, errors, buttons, statuses, roles.

stranger =
    Hello! This is the repair service bot. It works for our staff only.

    Contact: { $contact }

    Your Telegram ID: { $id }
menu =
    Hello, { $name }! Your roles: { $roles }.
    Choose what to do:
language-set = Language changed. Your roles: { $roles }.
language-choose = Choose your language:
cancelled = Cancelled.
nothing-to-cancel = There is nothing to cancel.
unknown-input = I did not understand that. Here is the menu:
use-buttons = Please use the buttons above.

menu-new = ➕ New order
menu-orders = 📋 Orders
menu-search = 🔎 Search
menu-my = 🧰 My orders
menu-stats = 📈 My figures
menu-masters = 👷 Masters
menu-users = 👥 Users
menu-reports = 📊 Reports
menu-language = 🌐 Language

button-cancel = Cancel
button-confirm = ✅ Confirm
button-skip = Skip
button-yes = Yes
button-no = No
button-next = Next »
button-first = « First page
button-open = Open order
button-refresh = 🔄 Refresh
button-invalid = This button is not valid.
button-stale = This button is out of date.

error-generic = Sorry, something went wrong on our side. Please try again in a minute.
error-forbidden = You are not allowed to do this.
error-not-found = Not found: it may have been removed or is not yours.
error-conflict = This is not possible in the order's current state.
error-stale = Someone changed this a moment ago. Press Refresh to see the current state.
error-stale-status = Order #{ $id } has changed meanwhile: it is now "{ $status }". Nothing was done.
error-invalid = Please check the input

invalid-text = Please send a non-empty text (up to 200 characters).
invalid-reason = Please write a reason (1 to 1000 characters).
invalid-amount = Please send an amount like 2500 or 2500.50.
invalid-date = Please send a date like { $example }.
invalid-telegram-id = A Telegram ID is a positive number, like 123456789.

role-ADMIN = admin
role-DISPATCHER = dispatcher
role-MASTER = master
role-SENIOR_MASTER = senior master
role-none = no role

status-NEW = New
status-ASSIGNED = Assigned
status-ACCEPTED = Accepted
status-IN_PROGRESS = In progress
status-LONG_REPAIR = Long repair
status-COMPLETED = Completed
status-CLOSED = Closed
status-REFUSED = Refused
