"""Base certification (挂牌认证): training bases and incubators, their review, certificates,
yearly reviews, incubated enterprises, and coverage of every city and county."""
