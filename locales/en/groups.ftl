# Masters' work groups and the dispatchers' group.

group-not-yours = This button is not for you: only the person the order is for may act on it.
group-link-ask =
    Hello! Whose work group is this? Choose the master whose orders will come here, or make it the dispatchers' group.
    { group-privacy }
group-ask-admin = Hello! Only an admin can link this group to a master or to the dispatchers: ask them to send /link@{ $bot } here.
group-privacy = In a group I only see commands and replies to my messages: answer my questions with "Reply".
group-button-dispatchers = 🗂 Dispatchers' group
group-linked-master =
    Done: this is { $master }'s work group. Their orders, reminders and changes will come here; only they may press the order buttons.
    { group-privacy }
group-linked-dispatchers =
    Done: this is the dispatchers' group. New orders, reopened ones, overdue ones and "client is waiting" will come here.
    { group-privacy }
group-already =
    This group is already linked: { $who }.
    { group-privacy }
group-who-dispatchers = the dispatchers' group
group-who-master = master { $name }
group-not-here = Press this button in the group you are linking.
group-removed = The bot was removed from the group "{ $title }" ({ $actor }). Unlinked: { $who }. Notifications now go to private chats.
group-migrated = The group "{ $title }" became a supergroup: the link moved with it.
group-pick-master = Choose { $name }'s group with the button below. If the bot is not in it yet, Telegram will offer to add it.
group-pick-dispatchers = Choose the dispatchers' group with the button below. If the bot is not in it yet, Telegram will offer to add it.
group-pick-button = 👥 Choose a group
group-unlink = 🔓 Unlink the group
group-unlinked = Group unlinked: notifications will go to private chats.
group-shared-master = The group "{ $title }" is now { $name }'s work group.
group-shared-dispatchers = The group "{ $title }" is now the dispatchers' group.
group-none = none
master-group-line = Work group: { $group }
master-group-set = linked
button-work-group = 👥 Work group
button-dispatchers-group = 🗂 Dispatchers' group
dispatchers-group-line = Dispatchers' group: { $group }
assign-no-group-hint = ⚠️ the master has no work group: the order will go to their private chat.
notify-new-order = 🆕 New order #{ $id }: { $equipment }, { $address }. Needs a master ({ $actor }).
notify-nudged = ⏰ The client of order #{ $id } is waiting: master { $master } was reminded ({ $actor }).
nudge-already = The master was reminded less than a minute ago.
notify-assigned-group = 🔔 { $name }, you have a new order. Please accept or decline it.
