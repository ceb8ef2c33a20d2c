"""What the training domain announces to the domains built on it (subsidies redeems a
trainee's voucher when they get a seat), without training importing them."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# Sent with the Enrolment, inside the transaction that admitted it (auto admission,
# staff admission, or promotion from the waiting list).
seat_taken = _signals.signal("training.seat_taken")
