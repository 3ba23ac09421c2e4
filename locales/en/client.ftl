# The client: an order's link, news about it, rating, cancelling, a message to the dispatcher.

client-welcome = Hello! This is your order #{ $id }. We will keep you posted here.
client-welcome-back = Your order #{ $id }:
client-link-invalid = This link is not valid or has expired. Ask the dispatcher for a new one. { $contact }
client-not-yours = You have no such order.
client-too-late = This cannot be done any more.
client-card = Order #{ $id }: { $equipment }
    Status: { $status }
client-card-visit = Visit: { $time }
client-card-master = Technician: { $name }
client-card-pay = To pay: { $amount } ₽
client-card-rated = Your rating: { $score } of 5
client-status-NEW = received, finding a technician
client-status-ASSIGNED = technician assigned
client-status-ACCEPTED = technician confirmed the visit
client-status-IN_PROGRESS = technician on site
client-status-LONG_REPAIR = long repair
client-status-COMPLETED = work done
client-status-CLOSED = work done
client-status-REFUSED = cancelled
client-button-cancel = Cancel the order
client-button-cancel-yes = Yes, cancel the order
client-button-write = ✉️ Write to the dispatcher
client-button-refresh = 🔄 Status
client-cancel-confirm = Cancel order #{ $id }? The technician will not come.
client-cancel-reason = Cancelled by the client in the bot
client-cancelled = Order #{ $id } is cancelled. The dispatcher has been told.
client-write-prompt = Write your message in one text and I will pass it to the dispatcher.
client-write-sent = Your message was passed to the dispatcher.
client-write-cancelled = The message was not sent.
client-write-invalid = Could not send it: write plain text of up to { $max } characters.
client-rated = Thank you for rating { $score } of 5! You may add a comment in one message.
client-comment-thanks = Thank you, the comment is saved.
client-time-unknown = time to be agreed
client-news-assigned = 👷 Technician { $master } is assigned to order #{ $id }. Visit: { $time }.
client-news-accepted = ✅ Technician { $master } confirmed the visit for order #{ $id }: { $time }.
client-news-on-site = 📍 Technician { $master } is on site (order #{ $id }).
client-news-rescheduled = 🕒 The visit for order #{ $id } moved to { $time }.
client-news-long-repair = ⏳ Order #{ $id } needs a long repair, expected by { $eta }.
client-news-done = 🏁 The work on order #{ $id } is done. To pay: { $amount } ₽.
    Please rate the technician's work:
client-news-refused = ❌ Order #{ $id } is cancelled. If this is a mistake, write to the dispatcher.
client-news-master-changing = We are finding another technician for order #{ $id } and will let you know.
client-news-reopened = ♻️ Order #{ $id } is active again.
client-cancelled-staff = ❌ The client cancelled order #{ $id }. Reason: { $reason }
client-wrote-staff = ✉️ Client { $client } writes about order #{ $id }:
    { $text }
client-low-rating-staff = ⚠️ Low rating { $score } of 5 for order #{ $id } (technician { $master }). Comment: { $comment }
client-link-for-staff = The client's link for order #{ $id }: { $url }
    Send it to the client or show the QR code: the client will get news about the order. A new link: /client_link { $id }
client-link-usage = Write the order number: /client_link 123
notify-client-cancel = ❌ The client cancelled order #{ $id }. Reason: { $reason }
done-client_cancel = The order is cancelled at the client's request.
button-client_cancel = Cancelled by the client
