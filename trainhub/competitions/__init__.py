"""Skills competitions (职业技能竞赛): events, registration, judging, results and awards.

`scoring` is the pure core (marks, flags, totals, ranking, awards, standardised scores, draw);
it takes plain values and imports neither Flask, nor SQLAlchemy, nor `trainhub.core`.
"""
