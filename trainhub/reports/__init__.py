"""The yearly plan report (落实情况, DESIGN §8, policy 三(六)): the plan's figures for a year and
a region computed from the records (`figures`), shown, exported and submitted by the cities
to the province."""
