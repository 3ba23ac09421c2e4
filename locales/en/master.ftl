# Masters: long repair, completion, figures.

long_repair-ask-eta = When will order #{ $id } be finished? Send a date like { $example }, or in Russian words: «через 3 дня», «в пятницу».
long_repair-ask-prepayment = Did the client pay in advance? Send the amount, or Skip.
complete-ask-total = Completing order #{ $id }. What is the total the client paid?
complete-ask-materials = How much were the materials? (0 if none)
complete-ask-review = Did the client leave a review?
complete-ask-out-of-city = Was the job out of the city?
complete-preview =
    Order #{ $id }: please check the money.
    Total: { $total }
    Materials: { $materials }
    Net: { $net }
    Review: { $review }, out of city: { $outOfCity }
    Your rate: { $rate }%
    Your share: { $master }
    Company's share: { $company }
invalid-materials = Materials cannot cost more than the total. Send the materials amount again.
stats =
    Your figures.
    Today: { $today }
    This month: { $month }
stats-nothing = nothing yet
stats-earned = Earned: today { $today }, this week { $week }, this month { $month } (including completed orders not yet handed over).
stats-owed = To hand over: you owe { $amount } for { $count } { $count ->
        [one] order
       *[other] orders
    }.
stats-owed-none = To hand over: nothing, all handed over.
invalid-total-prepayment = The total cannot be below the prepayment of { $prepayment } the client already paid. Send the total again.
complete-preview-prepayment =
    The company already holds the prepayment of { $prepayment }: the client pays { $rest } now.
    To hand over to the company: { $owed }
long_repair-ask-parts = Which parts are needed? Write them or press Skip.
long_repair-ask-cost = What will the repair cost the client (an estimate)? Send the amount or press Skip.
card-parts = Parts needed: { $parts }
card-estimated-cost = Estimated cost: { $amount }
notify-eta-overdue = ⏰ The long repair of order #{ $id } is overdue: promised by { $date } (master { $master }).
