"""Training subsidies (DESIGN §5): the pure engine and its explanations.

`engine` computes the training-fee subsidy and the living allowance (with transport) from plain
values and returns them with a trace; `explain` turns a result into plain language. Neither
touches Flask, the database or `trainhub.core`: the service loads what they need and stores
what they return.
"""
