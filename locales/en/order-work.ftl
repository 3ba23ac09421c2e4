# Working an order from its card: reschedule, edit, history, delete, a master's cancel.

card-rescheduled = Rescheduled { $count } times, last reason: { $reason }
button-reschedule = 🕒 Reschedule
button-history = 📜 History
reschedule-ask-time = When should the master come for order #{ $id }? In Russian, e.g. «завтра в 14», «в пятницу после обеда», «с 10 до 16», or 25.12 10:30.
reschedule-unreadable = Could not read the time “{ $text }”. Try «завтра в 14», 15.12 10:30 or «с 10 до 16».
reschedule-past = { $when } is already over. Give a time ahead.
reschedule-ask-reason = Understood: { $when }. Why is the visit moved?
reschedule-confirm = Move order #{ $id } to { $when }?
    Reason: { $reason }
rescheduled-to = Visit moved: { $when }.
done-reschedule = Visit moved.

history-title = History of order #{ $id }:
history-system = system
history-for-master = {" "}(for master { $master })
history-note = : { $note }
history-create = order created
history-edit = changed: { $changes }
history-change = { $field } “{ $from }” → “{ $to }”
history-reschedule = moved to { $time }
history-delete = order deleted
history-restore = order restored
field-equipment_type = Equipment
field-description = Problem
field-client_name = Client
field-client_address = Address
field-client_phone = Phone
field-notes = Notes
field-scheduled_at = Time
field-scheduled_until = Window until
field-scheduled_note = Time (as text)

button-edit = ✏️ Edit
edit-choose = What to change in order #{ $id }?
edit-choice-description = Problem
edit-choice-client_name = Client name
edit-choice-client_address = Address
edit-choice-client_phone = Phone
edit-choice-notes = Notes
edit-choice-time = Visit time
edit-ask-value = { $field }: now “{ $current }”. Send the new value.
edit-clear-hint = Send “-” to clear it.
edit-invalid = That does not fit “{ $field }”. Try again or press Cancel.
edit-saved = Changes saved.
edit-stale = While you were editing, order #{ $id } was changed:
    { $changes }
    Your edit was not saved. Here is the order now:
