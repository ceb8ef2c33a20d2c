"""What the competitions domain announces (its own listeners tell the contestants,
competitions.notifications), without the services importing them."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# Sent with the Entry after the organiser confirms or refuses it (`confirmed`).
entry_decided = _signals.signal("competitions.entry_decided")

# Sent with the Event after its results are published, with `published` (entry id, rank,
# award, code for each line), inside that transaction.
results_published = _signals.signal("competitions.results_published")

# Sent with the Appeal after the arbitration group decided it (`upheld`).
appeal_decided = _signals.signal("competitions.appeal_decided")
