"""Messages to people (e-mail, SMS) written to a table first and delivered by a sender.

A message is added to the `outbox_messages` table in the transaction that decides to send
it, then delivered by `delivery.deliver`: as a background job (trainhub/core/jobs.py) when
Redis is configured, or in-process once the response has gone out otherwise. A failure is
retried with a growing pause (`flask --app trainhub outbox send` delivers what is due) until
the message expires; each delivery and each final failure is audited.
"""
