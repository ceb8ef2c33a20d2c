"""What the subsidies domain announces (its own listeners tell the trainee,
subsidies.notifications), without the services importing them."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# Sent after decisions are approved together, inside that transaction, with `decisions`.
decisions_approved = _signals.signal("subsidies.decisions_approved")

# Sent with the Decision after its payment is recorded, inside that transaction.
decision_paid = _signals.signal("subsidies.decision_paid")

# Sent with the Decision after it is rejected, inside that transaction.
decision_rejected = _signals.signal("subsidies.decision_rejected")

# Sent with the Voucher after an officer cancels it, inside that transaction.
voucher_cancelled = _signals.signal("subsidies.voucher_cancelled")

# Sent after vouchers are issued, inside that transaction, with `vouchers`.
vouchers_issued = _signals.signal("subsidies.vouchers_issued")
