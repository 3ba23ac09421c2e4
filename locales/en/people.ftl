# People: adding a master, awaiting approval, confirmations.

add-master-name = The master's name? (Or "Skip": their Telegram name is used once they write to the bot.)
add-master-contact-no-telegram = This contact is not on Telegram. Send their Telegram ID or share another contact.
master-awaiting-approval =
    Hello, { $name }! You are registered as a master and are waiting for an admin's approval.
    Orders will appear here once you are approved. /language changes the language.
sure-close = 💰 Yes, settle and close order #{ $id }
sure-unassign = Yes, take the master off order #{ $id }
sure-remove-role = Yes, take the role "{ $role }" from { $name }
sure-no = « No, back
last-admin = This is the last admin: make someone else an admin first.
button-edit-master-name = ✏️ Name
button-edit-master-phone = ✏️ Phone
button-edit-master-specialization = ✏️ Specialization
edit-master-ask-name = The master's new name? Now: { $current }
edit-master-ask-phone = The master's new phone? Now: { $current }
edit-master-ask-specialization = The new specialization? Now: { $current }
edit-master-done = Saved.
dialogue-name-edit_master = Editing a master
dialogue-ended-edit_master = Editing the master is cancelled.
master-has-open-orders = The master has { $count } open orders. Reassign them (open the order → "Reassign"), or they will wait. Deactivate anyway?
button-deactivate-anyway = ⛔ Deactivate anyway
master-role-needs-details = { $name } now has the master role, but orders cannot be assigned yet: a phone and a specialization are needed.
button-register-master = 👷 Register as a master
