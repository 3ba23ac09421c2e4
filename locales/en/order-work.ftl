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
edit-choice-equipment_type = Equipment
edit-ask-equipment = Choose the equipment type:
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

button-delete = 🗑 Delete
button-confirm-delete = 🗑 Delete
button-restore = ♻️ Restore
button-restore-id = ♻️ #{ $id }
delete-ask-reason = Why delete order #{ $id }? The reason stays in the audit log.
delete-confirm = Delete order #{ $id }? It leaves every list; /deleted can restore it.
    Reason: { $reason }
deleted = 🗑 Order #{ $id } deleted.
done-restore = Restored.
restored = ♻️ Order #{ $id } restored.
deleted-none = No deleted orders.
deleted-title = Deleted orders (latest):
deleted-line = #{ $id } · { $client } · deleted { $when } ({ $who }): { $reason }
deleted-more = The latest { $count } are shown; all of them: GET /api/v1/deleted-orders.

button-cancel_accepted = ↩️ Give the order back
cancel_accepted-ask-reason = Why are you giving back accepted order #{ $id }? The dispatcher gets the reason.
done-cancel_accepted = You gave the order back to the dispatcher.
notify-cancel-accepted = ↩️ { $actor } gave back accepted order #{ $id }. Reason: { $reason }. It is New again.

client-returning = 👤 A returning client: { $count } orders. The latest: #{ $id } of { $date } · { $equipment } · { $status }.
client-stored = Last time: { $name }, { $address }.
client-open-order = ⚠️ The client has open order #{ $id }: the new one may be a duplicate.
button-client-reuse = Take name and address from it
button-open-order = Open #{ $id }
client-reused = Name and address taken from the last order: { $name }, { $address }.

search-results-more = “{ $query }”, { $from } to { $to }:

team-title = Masters on { $date } (open orders due today):
team-line = 👷 { $name } · { $specialization }: { $total } (assigned { $assigned }, accepted { $accepted }, on site { $in_progress }, long repair { $long_repair }); next visit { $next }
team-none = No approved active masters.

# Money after the fact: a client's refusal on site with a fee, an admin's correction of the amounts.
button-client_refused = 🙅 Client refused
client_refused-ask-reason = The client refused the repair of order #{ $id }. Why?
client_refused-ask-fee = Did the client pay for the visit or diagnostics? Send the amount or press Skip.
client_refused-no-fee = no fee
client_refused-fee-split = { $fee } (master { $rate }%: { $master }, company { $company })
client_refused-confirm =
    Record the client's refusal of order #{ $id }?
    Reason: { $reason }
    Fee: { $fee }
button-back-to-complete = ↩️ No, it was completed
done-client_refused = The client's refusal on site is recorded.
notify-client-refused = 🙅 { $actor }: the client refused the repair of order #{ $id }. Reason: { $reason }. Fee: { $fee }.
card-refusal-fee = Refusal fee: { $fee } (master { $master }, company { $company })
complete-low-total = The total { $total } is under { $below }. Is it a client's refusal with a fee for the visit?
button-low-total-refusal = 🙅 Yes, a refusal with a fee
button-low-total-complete = ✅ No, the order is completed
complete-back = Completing the order; the total { $total } is kept.

button-correct = 💰 Correct amounts
correct-ask-total = Correcting the amounts of order #{ $id }. The total is { $current }. Send a new one or press Skip to keep it.
correct-ask-materials = Materials are { $current }. Send a new amount or press Skip.
correct-ask-review = Did the client leave a review? Now: { $current }.
correct-ask-out-of-city = Was the job out of the city? Now: { $current }.
correct-ask-reason = Why the correction? It stays in the history and the audit log.
correct-split = total { $total }, materials { $materials }, rate { $rate }%: master { $master }, company { $company }
correct-confirm =
    Correct the amounts of order #{ $id }?
    Before: { $before }
    After: { $after }
    The master's debt changes by { $delta }.
    Reason: { $reason }
done-correct = Amounts corrected.
notify-correct = 💰 { $actor } corrected the amounts of order #{ $id }: total { $total }, master's share { $share }. Reason: { $reason }
dialogue-ended-refuse_on_site = The client's refusal was not recorded.
dialogue-ended-correct_order = Correction cancelled: the amounts are unchanged.
history-correct = amounts corrected: { $changes }
field-total_amount = Total
field-materials_cost = Materials
field-master_profit = Master's share
field-company_profit = Company's share
field-has_review = Review
field-out_of_city = Out of city
