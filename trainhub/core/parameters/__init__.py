"""Dated, region-overridable parameters: the numbers every domain's rules read."""
