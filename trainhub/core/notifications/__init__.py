"""Telling people when something that concerns them changes (issue 16, item 5).

A domain announces a state change with a signal; its own listener (connected in the
domain's setup.py) calls `service.notify` with the people concerned, a registered kind and
that kind's closed set of parameters. `notify` writes one in-site notification per person
(one multi-row INSERT) and queues, in the outbox (core.outbox), an e-mail or SMS for each
person who chose those channels. Titles and bodies are rendered from the kind's templates
when shown or sent, never stored as text, so the centre shows them in the reader's
language; the parameters a template may use are a closed list of harmless facts (a course's
title, a date, an amount, a rank), so no message can carry an ID number or a disability.
"""
