"""Registering training institutions and their staff accounts."""
