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
