# An order's photos and documents, the address pin and the master's check-in.

media-usage = Write the order number: { $command } 123
media-stage-appliance = 📷 Appliance
media-stage-before = 🔧 Before the work
media-stage-after = ✅ After the work
media-stage-document = 📄 Document
media-choose-stage = What do you attach to order #{ $id }?
media-send = { $stage }: send photos or files (several are fine), then tap "Done".
media-button-done = Done
media-saved = Saved.
media-already = This file is already attached.
media-done = Files attached to order #{ $id }: { $count }. See them: /photos { $id }
media-none = Nothing is attached to order #{ $id }. Add: /photo { $id }
media-caption = { $stage } · { $who }
places-pin-prompt = Send the client's address point for order #{ $id } (📎 → Location).
places-pinned = The address of order #{ $id } is pinned on the map.
places-no-job = A check-in is taken while you are on a job (after "On site").
places-checked-in = 📍 Your check-in on order #{ $id } is saved.
places-checked-in-staff = 📍 Technician { $master } checked in on site for order #{ $id }.
places-distance = From the address pin: { $metres } m.
