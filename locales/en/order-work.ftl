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
