"""Certificates and notices: the verification registry, PDF rendering and the public check.

Every certificate in TrainHub (base, training completion, competition award, subsidy
decision) is issued through `service.issue`, which freezes the certified facts behind a
random code; `pdf.render_certificate` prints them with a QR code pointing at
`/verify/<code>`, where anyone can see the frozen facts and the current status.
"""
