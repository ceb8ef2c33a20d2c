"""System administration: accounts."""
