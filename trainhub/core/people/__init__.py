"""Person records: identity, disability certificate, needs. Sensitive personal information."""
