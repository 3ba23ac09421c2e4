# Notifications: order changes, reminders, SLA breaches, masters.

notify-assigned = 🔔 You have a new order. Please accept or decline it.
notify-taken-away = Order #{ $id } is no longer assigned to you.
notify-assign = Order #{ $id } assigned to { $master } ({ $actor }).
notify-unassign = Order #{ $id }: the master was taken off ({ $actor }). It is New again.
notify-decline = ✖️ { $actor } declined order #{ $id }. Reason: { $reason }. It is New again.
notify-accept = ✅ { $actor } accepted order #{ $id }.
notify-arrive = 📍 { $actor } arrived on site for order #{ $id }.
notify-resume = ▶️ { $actor } resumed order #{ $id }.
notify-long-repair = ⏳ Order #{ $id } is a long repair, expected by { $eta } ({ $actor }).
notify-complete = 🏁 { $actor } completed order #{ $id }: total { $total }, master's share { $share }.
notify-close = 💰 Order #{ $id } is settled and closed ({ $actor }).
notify-refuse = ❌ Order #{ $id } was refused ({ $actor }). Reason: { $reason }
notify-reopen = ♻️ Order #{ $id } was reopened ({ $actor }).
notify-reschedule = 🕒 Order #{ $id } moved to { $time } ({ $actor }). Reason: { $reason }
notify-sla = ⚠️ Order #{ $id } has been "{ $status }" for more than { $hours } h.
notify-nudge = ⏰ The client of order #{ $id } is waiting for you! Call { $phone } ({ $client }), address: { $address }.
notify-master-approve = ✅ You are approved as a master: you will receive orders here.
notify-master-activate = ▶️ Your master account is active again.
notify-master-deactivate = ⛔ Your master account is deactivated: no new orders for now.
