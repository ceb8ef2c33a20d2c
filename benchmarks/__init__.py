"""Timed scripts with targets; run by `make bench`, never as part of the test suite."""
