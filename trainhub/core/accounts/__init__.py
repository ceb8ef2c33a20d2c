"""Users, roles, scopes, sign-in, server-side sessions and API tokens."""
