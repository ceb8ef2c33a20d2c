"""What the training domain announces to the domains built on it (subsidies redeems a
trainee's voucher when they get a seat), without training importing them."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# Sent with the Enrolment, inside the transaction that admitted it (auto admission,
# staff admission, or promotion from the waiting list).
seat_taken = _signals.signal("training.seat_taken")

# Sent with the Batch when many seats of it were taken at once (an import), inside that
# transaction: `seats` maps each new seat's enrolment id to its holder's person id, and
# `taken_at` is when they were taken.
seats_taken_together = _signals.signal("training.seats_taken_together")

# Sent with the Enrolment when its holder gives the seat up (withdrawal), inside that
# transaction, so what was held for the seat (a voucher) is given back at once.
seat_released = _signals.signal("training.seat_released")

# Sent with the Batch when it is cancelled: its seats lead nowhere, and what was held for
# them is given back.
batch_cancelled = _signals.signal("training.batch_cancelled")

# Sent with the Enrolment after an application is decided, inside that transaction:
# `outcome` is "admitted" (by staff, or at once for an application made on the person's
# behalf), "waiting" (put on the waiting list), "declined", or "promoted" (a seat given
# from the waiting list), "removed" (移出 by the institution). The person is told
# (training.notifications).
application_decided = _signals.signal("training.application_decided")

# Sent with the Enrolment after its result (completion) is recorded or corrected.
result_recorded = _signals.signal("training.result_recorded")

# Sent with the Batch when it starts and those still undecided or waiting are declined
# together, with their `person_ids`.
pending_declined = _signals.signal("training.pending_declined")

# Sent with the Batch when staff ask a person (found by number, without their code) to
# confirm an enrolment, with their `person_id`: the person answers on their own page.
invited = _signals.signal("training.invited")

# Sent with the Batch after the federation reviews it (开班审批), with `outcome`
# "approved", "returned" or "rejected": the institution's staff are told.
batch_reviewed = _signals.signal("training.batch_reviewed")
