# Dialogues: steps, Back, cancelling, asking again.

button-back = « Back
button-change = ✏️ { $what }
menu-again = Main menu:
dialogue-reask = { $dialogue } is in progress. Answer the last question or press "Cancel".
dialogue-not-an-answer = That is not an answer to the question. Here it is again:
create-field-equipment = Equipment
create-field-description = Fault
create-field-client_name = Client
create-field-client_address = Address
create-field-client_phone = Phone
create-field-notes = Notes
create-field-time = Time
create-time-impossible = There is no such date or time. Send a date and time, for example { $example }.
create-time-past = That time has passed. Send a time in the future, for example { $example }.

dialogue-name-create_order = Creating an order
dialogue-name-refuse_order = Refusing an order
dialogue-name-decline_order = Declining an order
dialogue-name-long_repair = Long repair
dialogue-name-complete_order = Completing an order
dialogue-name-add_master = Adding a master
dialogue-name-search = Search
dialogue-name-report_period = Choosing a report period

dialogue-ended-create_order = The order draft is discarded.
dialogue-ended-refuse_order = Refusing is cancelled.
dialogue-ended-decline_order = Declining is cancelled: the order stays yours.
dialogue-ended-long_repair = The long repair was not recorded.
dialogue-ended-complete_order = Completing is cancelled: the order is not completed.
dialogue-ended-add_master = Adding a master is cancelled.
dialogue-ended-search = Search cancelled.
dialogue-ended-report_period = Choosing a period is cancelled.
report-dates-format = That is not a period. For example: 01.12.2026 - 06.12.2026, 1.12-6.12, 1-6 December.
report-dates-impossible = There is no such date: check the day and the month.
report-dates-reversed = The period is reversed: the first day ({ $first }) is after the last ({ $last }).
report-dates-too-long = The period is longer than a year: choose at most 366 days.
invalid-date-past = That date has passed. Send a future date, for example { $example }.
dialogue-name-client_message = A message to the dispatcher
dialogue-name-client_comment = A review
dialogue-name-attach_files = Adding photos and documents
dialogue-name-pin_place = Pinning the place
dialogue-ended-client_message = The message was not sent.
dialogue-ended-client_comment = The review was not sent.
dialogue-ended-attach_files = Adding files is over.
dialogue-ended-pin_place = Pinning the place is cancelled.
